//! Python literals evaluated at compile time: constant parameters, `--const`
//! values, module-level constants and state initial values.

use crate::types::ConstValue;
use ruff_python_ast::{Expr, Number, UnaryOp};
use std::collections::HashMap;

/// The message for an int literal outside int64.
pub const INT_TOO_BIG: &str = "integer literal does not fit in int64 (-9223372036854775808 to 9223372036854775807); use a float for larger values";

/// Why `e` is not an evaluable literal when it looks like one (an int
/// literal outside int64, a complex number, a naive `datetime(...)`), for a
/// more precise message.
pub fn literal_problem(e: &Expr, names: &HashMap<String, ConstValue>) -> Option<String> {
    match e {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) if i.as_i64().is_none() => Some(INT_TOO_BIG.into()),
            Number::Complex { .. } => {
                Some("complex numbers are not supported; use an int or float literal".into())
            }
            _ => None,
        },
        Expr::UnaryOp(u) => literal_problem(&u.operand, names).filter(|_| {
            // -9223372036854775808 fits.
            eval_literal(e, &HashMap::new()).is_err()
        }),
        Expr::Call(_) => temporal_call(e, names).and_then(Result::err),
        _ => None,
    }
}

/// The dotted name of `a.b.c`, or `None` for other expressions.
fn dotted(e: &Expr) -> Option<String> {
    match e {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Attribute(a) => Some(format!("{}.{}", dotted(&a.value)?, a.attr.id)),
        _ => None,
    }
}

/// Which of `datetime` / `timedelta` a callee names: `datetime`,
/// `datetime.datetime`, `dt.datetime` (any module alias).
pub fn temporal_callee(name: &str) -> Option<&'static str> {
    let (module, last) = match name.rsplit_once('.') {
        Some((m, l)) => (Some(m), l),
        None => (None, name),
    };
    if module.is_some_and(|m| m.contains('.')) {
        return None;
    }
    match last {
        "datetime" => Some("datetime"),
        "timedelta" => Some("timedelta"),
        _ => None,
    }
}

/// Folds `datetime(...)` / `timedelta(...)` with literal arguments to exact
/// nanoseconds (see `extensions::datetime`). `None`: `e` is no such call;
/// `Some(Err)`: it is one, and the message says what is wrong with it.
pub fn temporal_call(
    e: &Expr,
    names: &HashMap<String, ConstValue>,
) -> Option<Result<ConstValue, String>> {
    let Expr::Call(c) = e else { return None };
    let which = temporal_callee(&dotted(&c.func)?)?;
    Some(fold_temporal(which, c, names))
}

fn fold_temporal(
    which: &str,
    c: &ruff_python_ast::ExprCall,
    names: &HashMap<String, ConstValue>,
) -> Result<ConstValue, String> {
    use crate::extensions::datetime::{fold_datetime, fold_timedelta};
    let not_constant = || {
        if which == "datetime" {
            "datetime() arguments must be int literals or module constants; for a run-time time add a timedelta to a constant datetime".to_string()
        } else {
            "timedelta() arguments must be literals or module constants; for a run-time amount multiply: timedelta(seconds=1) * n".to_string()
        }
    };
    let mut positional: Vec<&Expr> = c.arguments.args.iter().collect();
    let mut tz: Option<&Expr> = None;
    if which == "datetime" && positional.len() == 8 {
        tz = positional.pop();
    }
    let mut args = Vec::new();
    for a in positional {
        if matches!(a, Expr::Starred(_)) {
            return Err(format!(
                "{which}(*args) is not supported; pass the arguments one by one"
            ));
        }
        args.push(eval_literal(a, names).map_err(|_| not_constant())?);
    }
    let mut kwargs = Vec::new();
    for k in &c.arguments.keywords {
        let Some(name) = &k.arg else {
            return Err(format!(
                "{which}(**kwargs) is not supported; pass the arguments by name"
            ));
        };
        if which == "datetime" && name.id.as_str() == "tzinfo" {
            tz = Some(&k.value);
            continue;
        }
        kwargs.push((
            name.id.to_string(),
            eval_literal(&k.value, names).map_err(|_| not_constant())?,
        ));
    }
    if which == "timedelta" {
        return fold_timedelta(&args, &kwargs).map(ConstValue::Timedelta);
    }
    let utc = tz.and_then(dotted).is_some_and(|t| {
        t == "UTC" || t.ends_with(".UTC") || t == "timezone.utc" || t.ends_with(".timezone.utc")
    });
    match tz {
        None => Err("a naive datetime (no tzinfo) is not supported: datetimes are UTC nanoseconds since the epoch; pass tzinfo=timezone.utc".into()),
        Some(_) if !utc => Err("only tzinfo=timezone.utc (or UTC) is supported: datetimes are UTC nanoseconds since the epoch".into()),
        Some(_) => fold_datetime(&args, &kwargs).map(ConstValue::Datetime),
    }
}

/// The expression is not a literal this compiler evaluates.
#[derive(Debug)]
pub struct Unsupported;

/// Evaluates a literal: numbers, `True`/`False`, a sign, a module constant.
pub fn eval_literal(
    e: &Expr,
    names: &HashMap<String, ConstValue>,
) -> Result<ConstValue, Unsupported> {
    match e {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_i64().map(ConstValue::Int).ok_or(Unsupported),
            Number::Float(f) => Ok(ConstValue::Float(*f)),
            Number::Complex { .. } => Err(Unsupported),
        },
        Expr::BooleanLiteral(b) => Ok(ConstValue::Bool(b.value)),
        Expr::Call(_) => match temporal_call(e, names) {
            Some(Ok(v)) => Ok(v),
            _ => Err(Unsupported),
        },
        Expr::Name(n) => names.get(n.id.as_str()).cloned().ok_or(Unsupported),
        Expr::UnaryOp(u) => {
            // -9223372036854775808 is a unary minus on a literal that does
            // not fit int64 by itself.
            if let (UnaryOp::USub, Expr::NumberLiteral(n)) = (u.op, &*u.operand) {
                if let Number::Int(i) = &n.value {
                    return i
                        .to_string()
                        .parse::<i128>()
                        .ok()
                        .and_then(|v| i64::try_from(-v).ok())
                        .map(ConstValue::Int)
                        .ok_or(Unsupported);
                }
            }
            let v = eval_literal(&u.operand, names)?;
            match (u.op, v) {
                (UnaryOp::USub, ConstValue::Int(i)) => Ok(ConstValue::Int(i.wrapping_neg())),
                (UnaryOp::USub, ConstValue::Float(f)) => Ok(ConstValue::Float(-f)),
                (UnaryOp::UAdd, v @ (ConstValue::Int(_) | ConstValue::Float(_))) => Ok(v),
                _ => Err(Unsupported),
            }
        }
        _ => Err(Unsupported),
    }
}

/// Evaluates a list or dict literal of scalar literals (`[1, 2]`,
/// `{1: 2.5}`), for constant container parameters.
pub fn eval_container_literal(
    e: &Expr,
    names: &HashMap<String, ConstValue>,
) -> Result<ConstValue, Unsupported> {
    match e {
        Expr::List(l) => l
            .elts
            .iter()
            .map(|x| eval_literal(x, names))
            .collect::<Result<Vec<_>, _>>()
            .map(ConstValue::List),
        Expr::Dict(d) => d
            .items
            .iter()
            .map(|item| {
                let key = item.key.as_ref().ok_or(Unsupported)?;
                Ok((eval_literal(key, names)?, eval_literal(&item.value, names)?))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(ConstValue::Dict),
        _ => Err(Unsupported),
    }
}

/// Parses a `--const` value written as a Python literal (`3`, `0.5`, `True`,
/// `[1, 2]`, `{1: 2.5}`, `datetime(2020, 1, 1, tzinfo=timezone.utc)`,
/// `timedelta(seconds=5)`).
pub fn parse_const(text: &str) -> Result<ConstValue, String> {
    let parsed = ruff_python_parser::parse_expression(text)
        .map_err(|e| format!("'{text}' is not a Python literal: {e}"))?;
    let e = &parsed.syntax().body;
    eval_literal(e, &HashMap::new())
        .or_else(|_| eval_container_literal(e, &HashMap::new()))
        .map_err(|_| match literal_problem(e, &HashMap::new()) {
            Some(why) => format!("'{text}': {why}"),
            None => format!("'{text}' is not a supported constant: use an int, float or bool literal, datetime(..., tzinfo=timezone.utc), timedelta(...), or a list or dict of them"),
        })
}
