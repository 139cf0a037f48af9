//! Scalar types without Rust code: the special methods a scalar type
//! inherits from its payload ([`register_payload_methods`]), and the
//! `--types` file's `"scalar_types"` section, which declares a type, the
//! built-in values that convert to it, its arithmetic and its unary
//! operations:
//!
//! ```json
//! {"scalar_types": {
//!     "OrderId": "int",
//!     "Qty": {"repr": "float", "from": ["int", "float"],
//!             "arithmetic": ["Qty + Qty -> Qty", "Qty * float -> Qty", "Qty / Qty -> float"],
//!             "unary": ["-", "abs", "bool"]}}}
//! ```
//!
//! `OrderId` is an int that mixes with nothing (`==` with another
//! `OrderId`, `min`/`max`, and it is always true); `Qty` takes int and float
//! values and literals unchanged, adds to itself, scales by a float,
//! divides to a float, negates, has `abs` and is false when zero.

use crate::dialect::builder::{Builder, CmpF, CmpI};
use crate::dialect::ir::Value;
use crate::extensions::builtins::{checked_to_int, to_float, to_int};
use crate::registry::{BinopRule, CompilationContext, MethodHandler, TypeHandler};
use crate::types::{ConstValue, ScalarType, Ty};
use ruff_python_ast::Operator;
use std::sync::Arc;

/// The operations [`register_payload_methods`] knows, by their Python
/// spelling, with the special method each becomes.
pub const PAYLOAD_OPERATIONS: [(&str, &str); 7] = [
    ("-", "__neg__"),
    ("+", "__pos__"),
    ("~", "__invert__"),
    ("abs", "__abs__"),
    ("bool", "__bool__"),
    ("int", "__int__"),
    ("float", "__float__"),
];

/// Gives the scalar type `ty` the payload's own `-x`, `+x`, `~x` (int
/// payloads), `abs(x)`, truthiness (`bool`: nonzero), `int(x)` and
/// `float(x)`, as the special methods `__neg__`, ... (see
/// [`ScalarType`]). `-x`, `+x`, `~x` and `abs(x)` keep the type; the
/// others give a bool, int or float. An unknown name is an error.
///
/// ```
/// use cfuncc::extensions::scalar_types::register_payload_methods;
/// use cfuncc::types::ScalarType;
/// use cfuncc::Ty;
/// let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
/// let qty = ScalarType::define("Qty", Ty::Float).unwrap();
/// register_payload_methods(&mut ctx, qty, &["-", "abs", "bool"]).unwrap();
/// assert!(ctx.method(qty, "__neg__").is_some());
/// assert!(register_payload_methods(&mut ctx, qty, &["~"]).is_err());
/// ```
pub fn register_payload_methods(
    ctx: &mut CompilationContext,
    ty: Ty,
    operations: &[&str],
) -> Result<(), String> {
    let payload = ty.payload();
    if !ty.is_opaque() {
        return Err(format!("{ty} is not a scalar type"));
    }
    for op in operations {
        let Some((_, method)) = PAYLOAD_OPERATIONS.iter().find(|(o, _)| o == op) else {
            let known: Vec<&str> = PAYLOAD_OPERATIONS.iter().map(|(o, _)| *o).collect();
            return Err(format!(
                "{ty}: unknown operation '{op}'; known: {}",
                known.join(", ")
            ));
        };
        let result = match *method {
            "__bool__" => Ty::Bool,
            "__int__" => Ty::Int,
            "__float__" => Ty::Float,
            "__invert__" if payload != Ty::Int => {
                return Err(format!("{ty}: '~' needs an int repr, not {payload}"))
            }
            _ if payload == Ty::Bool => {
                return Err(format!("{ty}: '{op}' needs an int or float repr, not bool"))
            }
            _ => ty,
        };
        // (the builder, the payload value, the payload type)
        let lower: for<'c> fn(&Builder<'c>, Value<'c>, Ty) -> Value<'c> = match *method {
            "__neg__" => |b, v, p| match p {
                Ty::Float => b.un("arith.negf", v),
                _ => b.bin("arith.subi", b.const_i64(0), v),
            },
            "__pos__" => |_, v, _| v,
            "__invert__" => |b, v, _| b.bin("arith.xori", v, b.const_i64(-1)),
            "__abs__" => |b, v, p| match p {
                Ty::Float => b.un("math.absf", v),
                _ => {
                    let z = b.const_i64(0);
                    let neg = b.cmpi(CmpI::Slt, v, z);
                    let minus = b.bin("arith.subi", z, v);
                    b.select(neg, minus, v)
                }
            },
            "__bool__" => |b, v, p| match p {
                Ty::Float => b.cmpf(CmpF::Une, v, b.const_f64(0.0)),
                Ty::Bool => v,
                _ => b.cmpi(CmpI::Ne, v, b.const_i64(0)),
            },
            // Float → int truncates; NaN and infinity fault, as int(x).
            "__int__" => |b, v, p| match p {
                Ty::Float => checked_to_int(b, v),
                p => to_int(b, v, p),
            },
            _ => |b, v, p| to_float(b, v, p),
        };
        ctx.register_method(MethodHandler::nullary(ty, method, result, move |b, v| {
            Ok(lower(b, v, payload))
        }));
    }
    Ok(())
}

fn operator(s: &str) -> Option<Operator> {
    use Operator::*;
    [
        Add, Sub, Mult, MatMult, Div, Mod, Pow, LShift, RShift, BitOr, BitXor, BitAnd, FloorDiv,
    ]
    .into_iter()
    .find(|o| o.as_str() == s)
}

/// One entry of the `"scalar_types"` section, in its long form.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    repr: String,
    #[serde(default)]
    from: Vec<String>,
    #[serde(default)]
    arithmetic: Vec<String>,
    #[serde(default)]
    unary: Vec<String>,
}

/// A built-in type by name.
fn builtin(name: &str) -> Option<Ty> {
    match name {
        "int" => Some(Ty::Int),
        "float" => Some(Ty::Float),
        "bool" => Some(Ty::Bool),
        _ => None,
    }
}

/// Reads a `--types` file's `"scalar_types"` section (see the module
/// documentation) into `ctx`.
pub(crate) fn load_section(
    ctx: &mut CompilationContext,
    section: &serde_json::Value,
) -> Result<(), String> {
    let types = section
        .as_object()
        .ok_or("\"scalar_types\" must map type names to a repr (\"int\") or {\"repr\", \"from\", \"arithmetic\", \"unary\"}")?;
    // Every type first, so that the rules can name any of them.
    let mut declared = Vec::new();
    for (name, entry) in types {
        let spec = match entry {
            serde_json::Value::String(repr) => Spec {
                repr: repr.clone(),
                from: Vec::new(),
                arithmetic: Vec::new(),
                unary: Vec::new(),
            },
            other => serde_json::from_value(other.clone())
                .map_err(|e| format!("scalar type '{name}': {e}"))?,
        };
        let repr = builtin(&spec.repr).ok_or(format!(
            "scalar type '{name}': repr must be int, float or bool, not '{}'",
            spec.repr
        ))?;
        if ctx.type_for(name).is_some() {
            return Err(format!("scalar type '{name}': the name is already a type"));
        }
        let ty = ScalarType::define(name, repr)?;
        let sources = spec
            .from
            .iter()
            .map(|f| {
                builtin(f).ok_or(format!(
                    "scalar type '{name}': \"from\" names built-in types (int, float, bool), not '{f}'"
                ))
            })
            .collect::<Result<Vec<_>, _>>()?;
        ctx.register_type(from_builtins(name, ty, sources)?);
        declared.push((name, ty, spec));
    }
    for (name, ty, spec) in declared {
        for rule in &spec.arithmetic {
            let r = arithmetic_rule(ctx, name, ty, rule)?;
            ctx.register_binop(r);
        }
        let unary: Vec<&str> = spec.unary.iter().map(String::as_str).collect();
        register_payload_methods(ctx, ty, &unary)?;
    }
    Ok(())
}

/// `"Qty * float -> Qty"`, a rule of the scalar type `ty` called `name`.
fn arithmetic_rule(
    ctx: &CompilationContext,
    name: &str,
    ty: Ty,
    rule: &str,
) -> Result<BinopRule, String> {
    let bad = |why: String| format!("scalar type '{name}': arithmetic rule '{rule}' {why}");
    let form = || bad("is not of the form 'A + B -> C'".into());
    let (operation, result) = rule.split_once("->").ok_or_else(form)?;
    let [lhs, op, rhs] = operation.split_whitespace().collect::<Vec<_>>()[..] else {
        return Err(form());
    };
    let ty_of = |t: &str| {
        ctx.type_for(t.trim())
            .ok_or_else(|| bad(format!("names an unknown type '{}'", t.trim())))
    };
    let (lhs, rhs, result) = (ty_of(lhs)?, ty_of(rhs)?, ty_of(result)?);
    let op = operator(op).ok_or_else(|| bad(format!("has an unknown operator '{op}'")))?;
    if ![lhs, rhs].contains(&ty) {
        return Err(bad(format!("must have a {name} operand")));
    }
    Ok(BinopRule {
        lhs,
        op,
        rhs,
        result,
    })
}

/// A type handler that takes values and literals of the built-in types
/// `sources` unchanged (int → float widening for a float repr).
fn from_builtins(name: &str, ty: Ty, sources: Vec<Ty>) -> Result<TypeHandler, String> {
    let repr = ty.payload();
    for s in &sources {
        let fits = *s == repr
            || (repr == Ty::Float && *s != Ty::Float)
            || (repr == Ty::Int && *s == Ty::Bool);
        if !fits {
            return Err(format!(
                "scalar type '{name}': a {s} does not fit its repr {repr} (\"from\" takes the repr and narrower built-in types)"
            ));
        }
    }
    let handler = TypeHandler::new(name, ty, 200);
    if sources.is_empty() {
        return Ok(handler);
    }
    let takes = sources.clone();
    let literal_name = name.to_string();
    // A literal becomes the payload (ConstHook), converted as an assignment
    // would.
    let parse = Arc::new(move |v: &ConstValue| {
        if !takes.contains(&v.ty()) {
            return Err(format!("a {literal_name} literal is {}", names(&takes)));
        }
        v.coerce(repr)
            .ok_or_else(|| format!("a {} does not fit {repr}", v.ty()))
    });
    Ok(handler
        .parse_const(parse)
        .lower_assign(Arc::new(move |b, v, from| {
            if !sources.contains(&from) {
                return Err(format!("it takes {}", names(&sources)));
            }
            Ok(match repr {
                Ty::Float => to_float(b, v, from),
                Ty::Int => to_int(b, v, from),
                _ => v,
            })
        })))
}

/// "an int or a float".
fn names(tys: &[Ty]) -> String {
    let all: Vec<String> = tys.iter().map(|t| crate::types::a_ty(*t)).collect();
    match all.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => "nothing".into(),
    }
}
