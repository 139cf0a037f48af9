//! Python literals evaluated at compile time: constant parameters, `--const`
//! values, module-level constants and state initial values.

use crate::registry::{CompilationContext, ConstArg};
use crate::types::ConstValue;
use ruff_python_ast::{self as ast, Expr, Number, UnaryOp};
use std::collections::HashMap;

/// The message for an int literal outside int64.
pub const INT_TOO_BIG: &str = "integer literal does not fit in int64 (-9223372036854775808 to 9223372036854775807); use a float for larger values";

/// What a literal may refer to: constants by name (module constants,
/// constant parameters) and, with a context, the calls it folds to
/// constants ([`crate::registry::ConstCallHandler`]: `datetime(...)`).
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// Constants by name.
    pub names: &'a HashMap<String, ConstValue>,
    /// The context whose constant calls fold; `None`: no calls.
    pub cx: Option<&'a CompilationContext>,
}

impl<'a> Env<'a> {
    /// Names and the context's constant calls.
    pub fn new(cx: &'a CompilationContext, names: &'a HashMap<String, ConstValue>) -> Self {
        Env {
            names,
            cx: Some(cx),
        }
    }

    /// Plain literals only: no names, no calls.
    pub fn plain() -> Env<'static> {
        static EMPTY: std::sync::OnceLock<HashMap<String, ConstValue>> = std::sync::OnceLock::new();
        Env {
            names: EMPTY.get_or_init(HashMap::new),
            cx: None,
        }
    }
}

/// Why `e` is not an evaluable literal when it looks like one (an int
/// literal outside int64, a complex number, a naive `datetime(...)`), for a
/// more precise message.
pub fn literal_problem(e: &Expr, env: Env) -> Option<String> {
    match e {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) if i.as_i64().is_none() => Some(INT_TOO_BIG.into()),
            Number::Complex { .. } => {
                Some("complex numbers are not supported; use an int or float literal".into())
            }
            _ => None,
        },
        Expr::UnaryOp(u) => literal_problem(&u.operand, env).filter(|_| {
            // -9223372036854775808 fits.
            eval_literal(e, Env::plain()).is_err()
        }),
        Expr::Call(_) => const_call(e, env).and_then(Result::err),
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

/// Folds a call registered as a constant call (`datetime(...)`,
/// `timedelta(...)`). `None`: `e` is no such call; `Some(Err)`: it is one,
/// and the message says what is wrong with it.
pub fn const_call(e: &Expr, env: Env) -> Option<Result<ConstValue, String>> {
    let Expr::Call(c) = e else { return None };
    let callee = dotted(&c.func)?;
    let h = env.cx?.const_call(&callee)?;
    let name = &h.name;
    let arg = |a: &Expr| match eval_literal(a, env) {
        Ok(v) => ConstArg::Value(v),
        Err(Unsupported) => dotted(a).map_or(ConstArg::Other, ConstArg::Name),
    };
    let mut args = Vec::new();
    for a in c.arguments.args.iter() {
        if matches!(a, Expr::Starred(_)) {
            return Some(Err(format!(
                "{name}(*args) is not supported; pass the arguments one by one"
            )));
        }
        args.push(arg(a));
    }
    let mut kwargs = Vec::new();
    for k in &c.arguments.keywords {
        let Some(kw) = &k.arg else {
            return Some(Err(format!(
                "{name}(**kwargs) is not supported; pass the arguments by name"
            )));
        };
        kwargs.push((kw.id.to_string(), arg(&k.value)));
    }
    Some(crate::registry::run_hook(|| (h.fold)(&args, &kwargs)))
}

/// The expression is not a literal this compiler evaluates.
#[derive(Debug)]
pub struct Unsupported;

/// Evaluates a literal: numbers, `True`/`False`, a sign, a module constant,
/// an enum member.
pub fn eval_literal(e: &Expr, env: Env) -> Result<ConstValue, Unsupported> {
    match e {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_i64().map(ConstValue::Int).ok_or(Unsupported),
            Number::Float(f) => Ok(ConstValue::Float(*f)),
            Number::Complex { .. } => Err(Unsupported),
        },
        Expr::BooleanLiteral(b) => Ok(ConstValue::Bool(b.value)),
        Expr::Call(_) => match const_call(e, env) {
            Some(Ok(v)) => Ok(v),
            _ => Err(Unsupported),
        },
        Expr::Name(n) => env.names.get(n.id.as_str()).cloned().ok_or(Unsupported),
        // An enum member (`Side.BUY`), with a context.
        Expr::Attribute(_) => dotted(e)
            .and_then(|d| env.cx?.attribute_constant(&d).cloned())
            .ok_or(Unsupported),
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
            let v = eval_literal(&u.operand, env)?;
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
pub fn eval_container_literal(e: &Expr, env: Env) -> Result<ConstValue, Unsupported> {
    match e {
        // A tuple constant is a list, as the seed takes `(2, 3)`.
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => elts
            .iter()
            .map(|x| eval_literal(x, env))
            .collect::<Result<Vec<_>, _>>()
            .map(ConstValue::List),
        Expr::Dict(d) => d
            .items
            .iter()
            .map(|item| {
                let key = item.key.as_ref().ok_or(Unsupported)?;
                Ok((eval_literal(key, env)?, eval_literal(&item.value, env)?))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(ConstValue::Dict),
        _ => Err(Unsupported),
    }
}

/// Parses a `--const NAME=VALUE` argument (VALUE as [`parse_const`]).
pub fn parse_const_arg(cx: &CompilationContext, arg: &str) -> Result<(String, ConstValue), String> {
    let (name, value) = arg
        .split_once('=')
        .ok_or_else(|| format!("--const {arg}: expected NAME=VALUE"))?;
    let v = parse_const(cx, value).map_err(|e| format!("--const {name}: {e}"))?;
    Ok((name.trim().to_string(), v))
}

/// Parses a `--const` value written as a Python literal (`3`, `0.5`, `True`,
/// `[1, 2]`, `{1: 2.5}`, `datetime(2020, 1, 1, tzinfo=timezone.utc)`,
/// `timedelta(seconds=5)`).
pub fn parse_const(cx: &CompilationContext, text: &str) -> Result<ConstValue, String> {
    let parsed = ruff_python_parser::parse_expression(text)
        .map_err(|e| format!("'{text}' is not a Python literal: {e}"))?;
    let e = &parsed.syntax().body;
    let names = HashMap::new();
    let env = Env::new(cx, &names);
    eval_literal(e, env)
        .or_else(|_| eval_container_literal(e, env))
        .map_err(|_| match literal_problem(e, env) {
            Some(why) => format!("'{text}': {why}"),
            None => format!("'{text}' is not a supported constant: use an int, float or bool literal, datetime(..., tzinfo=timezone.utc), timedelta(...), or a list or dict of them"),
        })
}
