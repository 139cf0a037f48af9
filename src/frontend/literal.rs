//! Python literals evaluated at compile time: constant parameters, `--const`
//! values, module-level constants and state initial values.

use crate::types::ConstValue;
use ruff_python_ast::{Expr, Number, UnaryOp};
use std::collections::HashMap;

/// The message for an int literal outside int64.
pub const INT_TOO_BIG: &str = "integer literal does not fit in int64 (-9223372036854775808 to 9223372036854775807); use a float for larger values";

/// Why `e` is not an evaluable literal when it looks like one (an int
/// literal outside int64, a complex number), for a more precise message.
pub fn literal_problem(e: &Expr) -> Option<&'static str> {
    match e {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) if i.as_i64().is_none() => Some(INT_TOO_BIG),
            Number::Complex { .. } => {
                Some("complex numbers are not supported; use an int or float literal")
            }
            _ => None,
        },
        Expr::UnaryOp(u) => literal_problem(&u.operand).filter(|_| {
            // -9223372036854775808 fits.
            eval_literal(e, &HashMap::new()).is_err()
        }),
        _ => None,
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
/// `[1, 2]`, `{1: 2.5}`).
pub fn parse_const(text: &str) -> Result<ConstValue, String> {
    let parsed = ruff_python_parser::parse_expression(text)
        .map_err(|e| format!("'{text}' is not a Python literal: {e}"))?;
    let e = &parsed.syntax().body;
    eval_literal(e, &HashMap::new())
        .or_else(|_| eval_container_literal(e, &HashMap::new()))
        .map_err(|_| {
            format!("'{text}' is not a supported constant: use an int, float or bool literal, or a list or dict of them")
        })
}
