//! Lists and dicts: annotations, declarations, and the Python container
//! operations → cfunc container ops (dialect/README.md, "Containers").
//!
//! A container value is a handle (`!cfunc.list<T>`, `!cfunc.dict<K, V>`).
//! Handles come from four places:
//! - state (`xs: State[NumbaList] = create_new_list(int)`): loaded once at
//!   the top of EXECUTE, with a check that START has run (fault 9);
//! - constant parameters (`w: NumbaList[int]`): static read-only data;
//! - tick-local containers (`ys = create_new_list(int)`, `xs[1:3]`): pushed
//!   on the tick's arena, which the function's exit block frees on every
//!   path out of the tick, faults included;
//! - local variables holding any of the above (`ys = xs` aliases, as in
//!   Python).

use super::codegen::FnGen;
use super::signature::map_text;
use crate::diagnostics::{CompileError, SourceMap};
use crate::dialect::builder::{Builder, CmpI};
use crate::dialect::ir::{Block, Value};
use crate::dialect::types::ToMlir;
use crate::dialect::FaultCode;
use crate::registry::{CompilationContext, ContainerKind};
use crate::types::{ArrayTy, CTy, ConstValue, Ty};
use ruff_python_ast::{self as ast, CmpOp, Expr};
use ruff_text_size::Ranged;
use std::collections::HashMap;

type R<T> = Result<T, CompileError>;
use super::codegen::Typed;

fn err(map: &SourceMap, node: &impl Ranged, msg: impl Into<String>) -> CompileError {
    CompileError::at(map, node.start().to_usize(), msg)
}

fn scalar(cx: &CompilationContext, map: &SourceMap, e: &Expr, what: &str) -> R<Ty> {
    super::signature::resolve_type(cx, map, e, what)
}

/// A dict key type. Float keys are allowed: `-0.0` and `0.0` are the same
/// key (as in Python), and a NaN key faults (Python matches NaN keys by
/// object identity, which a value has not got).
fn dict_key(cx: &CompilationContext, map: &SourceMap, e: &Expr, what: &str) -> R<Ty> {
    scalar(cx, map, e, what)
}

/// A declared container type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Declared {
    /// A bare annotation (`NumbaList`): the constructor gives the element
    /// types.
    Bare(ContainerKind),
    /// With element types.
    Of(CTy),
}

impl Declared {
    /// List or dict.
    pub fn kind(self) -> ContainerKind {
        match self {
            Declared::Bare(kind) => kind,
            Declared::Of(c) => kind_of(c),
        }
    }

    /// Whether a container of type `c` may be stored under this declaration.
    pub fn accepts(self, c: CTy) -> bool {
        match self {
            Declared::Bare(kind) => kind_of(c) == kind,
            Declared::Of(d) => d == c,
        }
    }
}

/// The kind of a container type.
pub fn kind_of(c: CTy) -> ContainerKind {
    match c {
        CTy::List(_) => ContainerKind::List,
        CTy::Dict(..) => ContainerKind::Dict,
        CTy::Array(_) => ContainerKind::Array,
    }
}

/// A container annotation, by the names registered with
/// `register_container`: `NumbaList`, `NumbaList[T]`, `NumbaDict`,
/// `NumbaDict[K, V]`, `list[T]`, `dict[K, V]` by default. `Ok(None)`: not a
/// container.
pub fn annotation(
    cx: &CompilationContext,
    map: &SourceMap,
    e: &Expr,
    what: &str,
    consts: &HashMap<String, ConstValue>,
) -> R<Option<Declared>> {
    match e {
        Expr::Name(n) => Ok(cx
            .container_annotation(n.id.as_str())
            .filter(|h| h.bare)
            .map(|h| Declared::Bare(h.kind))),
        Expr::Subscript(s) => {
            let Expr::Name(n) = &*s.value else {
                return Ok(None);
            };
            let name = n.id.as_str();
            let Some(h) = cx.container_annotation(name) else {
                return Ok(None);
            };
            match h.kind {
                ContainerKind::List => {
                    let t = scalar(cx, map, &s.slice, &format!("the elements of {what}"))?;
                    Ok(Some(Declared::Of(CTy::List(t))))
                }
                ContainerKind::Dict => {
                    let usage = || {
                        err(
                            map,
                            &*s.slice,
                            format!("{name} takes a key and a value type: {name}[int, float]"),
                        )
                    };
                    let Expr::Tuple(kv) = &*s.slice else {
                        return Err(usage());
                    };
                    let [k, v] = &kv.elts[..] else {
                        return Err(usage());
                    };
                    let k = dict_key(cx, map, k, &format!("the keys of {what}"))?;
                    let v = scalar(cx, map, v, &format!("the values of {what}"))?;
                    Ok(Some(Declared::Of(CTy::Dict(k, v))))
                }
                ContainerKind::Array => {
                    let usage = || {
                        err(
                            map,
                            &*s.slice,
                            format!("{name} takes an element type and a length: {name}[int, 8]"),
                        )
                    };
                    let Expr::Tuple(tl) = &*s.slice else {
                        return Err(usage());
                    };
                    let [t, n] = &tl.elts[..] else {
                        return Err(usage());
                    };
                    let elem = array_elem(cx, map, t, &format!("the elements of {what}"))?;
                    let length = array_length(map, n, consts)?;
                    Ok(Some(Declared::Of(CTy::Array(ArrayTy { elem, length }))))
                }
            }
        }
        _ => Ok(None),
    }
}

/// An array's element type: int, float or bool.
fn array_elem(cx: &CompilationContext, map: &SourceMap, e: &Expr, what: &str) -> R<Ty> {
    match scalar(cx, map, e, what) {
        Ok(t @ (Ty::Int | Ty::Float | Ty::Bool)) => Ok(t),
        _ => Err(err(
            map,
            e,
            format!(
                "unsupported type '{}' for {what}: array elements are int, float or bool",
                map_text(map, e)
            ),
        )),
    }
}

/// An array's length: a positive int literal or module-level constant,
/// at most [`ArrayTy::MAX_LEN`].
fn array_length(map: &SourceMap, e: &Expr, consts: &HashMap<String, ConstValue>) -> R<usize> {
    let v = super::literal::eval_literal(
        e,
        super::literal::Env {
            names: consts,
            cx: None,
        },
    );
    match v {
        Ok(ConstValue::Int(n)) if n >= 1 && n as u64 <= ArrayTy::MAX_LEN as u64 => Ok(n as usize),
        Ok(ConstValue::Int(n)) if n >= 1 => Err(err(
            map,
            e,
            format!(
                "array length {n} is too large; at most {} elements",
                ArrayTy::MAX_LEN
            ),
        )),
        Ok(ConstValue::Int(n)) => Err(err(
            map,
            e,
            format!("array length must be a positive compile-time integer, not {n}"),
        )),
        _ => Err(err(
            map,
            e,
            format!(
                "array length must be a positive compile-time integer (an int literal or a module-level constant), not '{}'",
                map_text(map, e)
            ),
        )),
    }
}

/// A registered constructor call (`create_new_list(T)` /
/// `create_new_dict(K, V)` / `create_new_array(T, N)` by default): the
/// container type created, or `None` when `e` is not such a call. An
/// array's length `N` may name a module-level constant in `consts`.
pub fn constructor(
    cx: &CompilationContext,
    map: &SourceMap,
    e: &Expr,
    consts: &HashMap<String, ConstValue>,
) -> R<Option<CTy>> {
    let Expr::Call(c) = e else { return Ok(None) };
    let Expr::Name(n) = &*c.func else {
        return Ok(None);
    };
    let name = n.id.as_str();
    let Some(h) = cx.container_constructor(name) else {
        return Ok(None);
    };
    let args = &c.arguments.args[..];
    match h.kind {
        ContainerKind::List => {
            let [t] = args else {
                return Err(err(
                    map,
                    c,
                    format!("{name} takes the element type: {name}(int)"),
                ));
            };
            Ok(Some(CTy::List(scalar(cx, map, t, "list elements")?)))
        }
        ContainerKind::Dict => {
            let [k, v] = args else {
                return Err(err(
                    map,
                    c,
                    format!("{name} takes the key and value types: {name}(int, float)"),
                ));
            };
            let k = dict_key(cx, map, k, "dict keys")?;
            Ok(Some(CTy::Dict(k, scalar(cx, map, v, "dict values")?)))
        }
        ContainerKind::Array => {
            let ([t, n], []) = (args, &c.arguments.keywords[..]) else {
                return Err(err(
                    map,
                    c,
                    format!("{name} takes the element type and the length: {name}(int, 8)"),
                ));
            };
            let elem = array_elem(cx, map, t, "array elements")?;
            let length = array_length(map, n, consts)?;
            Ok(Some(CTy::Array(ArrayTy { elem, length })))
        }
    }
}

/// How this context creates an empty container of a kind, for messages:
/// the constructor of the annotation `e` if it has one, else the first of
/// the kind (`create_new_list(int)` by default).
pub fn constructor_example(
    cx: &CompilationContext,
    e: Option<&Expr>,
    kind: ContainerKind,
) -> String {
    let (dflt, args) = match kind {
        ContainerKind::List => ("create_new_list", "int"),
        ContainerKind::Dict => ("create_new_dict", "int, float"),
        ContainerKind::Array => ("create_new_array", "int, 8"),
    };
    let head = match e {
        Some(Expr::Subscript(s)) => Some(&*s.value),
        e => e,
    };
    let own = match head {
        Some(Expr::Name(n)) => cx.container_annotation(n.id.as_str()),
        _ => None,
    };
    let name = own
        .into_iter()
        .chain(cx.containers().iter().filter(|h| h.kind == kind))
        .find_map(|h| h.constructor.as_deref())
        .unwrap_or(dflt);
    format!("{name}({args})")
}

/// A container state declaration, `xs: State[NumbaList] = create_new_list(int)`:
/// its type, or `None` when the declaration is not of a container.
pub fn state_container(
    cx: &CompilationContext,
    map: &SourceMap,
    a: &ast::StmtAnnAssign,
    name: &str,
    scope: &super::signature::ModuleScope,
) -> R<Option<CTy>> {
    let Expr::Subscript(sub) = &*a.annotation else {
        return Ok(None);
    };
    let consts = &scope.constants;
    let Some(declared) = annotation(cx, map, &sub.slice, &format!("state '{name}'"), consts)?
    else {
        return Ok(None);
    };
    let created = match a.value.as_deref() {
        Some(v) => constructor(cx, map, v, consts)?,
        None => None,
    };
    let Some(created) = created else {
        let at = a.value.as_deref().map_or(a.range(), Ranged::range);
        let example = constructor_example(cx, Some(&sub.slice), declared.kind());
        let ann = map_text(map, &*sub.slice);
        let msg = if declared.kind() == ContainerKind::Array {
            format!("array state '{name}' is created zero-filled by its constructor: `{name}: State[{ann}] = {example}`")
        } else {
            format!("container state '{name}' starts empty: `{name}: State[{ann}] = {example}`")
        };
        return Err(err(map, &at, msg));
    };
    if !declared.accepts(created) {
        return Err(err(
            map,
            a.value.as_deref().unwrap_or(&a.annotation),
            format!(
                "state '{name}' is declared {} but created as {created}",
                map_text(map, &*sub.slice)
            ),
        ));
    }
    Ok(Some(created))
}

/// A short description of a constant for messages.
pub fn describe_const(v: &ConstValue) -> String {
    match v {
        ConstValue::List(xs) => match xs.iter().find(|x| x.is_container() || x.ty() == Ty::Float) {
            Some(x) if x.is_container() => "a list holding a container".into(),
            Some(_) => "a list holding a float".into(),
            None => "a list".into(),
        },
        ConstValue::Dict(_) => "a dict whose keys or values do not fit".into(),
        other => super::a_ty(other.ty()),
    }
}

/// A container handle in the frontend.
#[derive(Clone, Copy)]
pub struct CVal<'c> {
    pub v: Value<'c>,
    pub ty: CTy,
    /// A constant parameter: static data that must not change.
    pub readonly: bool,
}

/// Bit pattern of a constant element, as the runtime stores it.
fn cell_bits(c: &ConstValue) -> i64 {
    c.to_cell() as i64
}

impl<'c> FnGen<'c> {
    // ---- handles ----------------------------------------------------------

    /// `!cfunc.list<T>` → `!llvm.ptr` (for local variable slots).
    fn handle_to_ptr(&self, v: Value<'c>) -> Value<'c> {
        let b = self.b();
        b.v("builtin.unrealized_conversion_cast", &[v], b.ptr(), &[])
    }

    fn ptr_to_handle(&self, p: Value<'c>, ty: CTy) -> Value<'c> {
        let b = self.b();
        let t = ty.mlir(&b);
        b.v("builtin.unrealized_conversion_cast", &[p], t, &[])
    }

    /// The tick's arena slot (a `ptr` alloca, NULL at entry), created on
    /// first use; the exit block frees the arena.
    fn arena(&mut self) -> Value<'c> {
        if let Some(a) = self.arena {
            return a;
        }
        let b = self.entry_builder();
        let one = b.const_int(b.i32(), 1);
        let slot = b.v(
            "llvm.alloca",
            &[one],
            b.ptr(),
            &[("elem_type", b.type_attr(b.ptr()))],
        );
        let null = b.v("llvm.mlir.zero", &[], b.ptr(), &[]);
        b.op("llvm.store", &[null, slot], &[], &[]);
        let exit_ret = self.exit.first_op().expect("the exit block returns");
        b.before_op(exit_ret).cfunc_arena_free(slot);
        self.arena = Some(slot);
        slot
    }

    /// The handle a name refers to, if it names a container.
    pub fn container_name(&mut self, name: &str) -> Option<CVal<'c>> {
        if let Some((v, ty)) = self.cstate.get(name) {
            return Some(CVal {
                v: *v,
                ty: *ty,
                readonly: false,
            });
        }
        if let Some((v, ty)) = self.cconst.get(name) {
            return Some(CVal {
                v: *v,
                ty: *ty,
                readonly: true,
            });
        }
        if let Some((slot, ty, readonly)) = self.clocals.get(name).copied() {
            let b = self.b();
            let p = b.v("llvm.load", &[slot], b.ptr(), &[]);
            return Some(CVal {
                v: self.ptr_to_handle(p, ty),
                ty,
                readonly,
            });
        }
        None
    }

    /// Whether `e` is syntactically a container expression this frontend
    /// knows (without emitting anything).
    pub fn is_container_expr(&self, e: &Expr) -> bool {
        match e {
            Expr::Name(n) => {
                let n = n.id.as_str();
                self.cstate.contains_key(n)
                    || self.cconst.contains_key(n)
                    || self.clocals.contains_key(n)
            }
            Expr::Subscript(s) => matches!(&*s.slice, Expr::Slice(_)),
            Expr::Call(c) => {
                matches!(&*c.func, Expr::Name(n) if self.cx.container_constructor(n.id.as_str()).is_some())
            }
            _ => false,
        }
    }

    /// Lowers a container expression, or returns `None` if `e` is not one.
    pub fn container(&mut self, e: &Expr) -> R<Option<CVal<'c>>> {
        self.set_loc(e);
        match e {
            Expr::Name(n) => Ok(self.container_name(n.id.as_str())),
            Expr::Call(_) => {
                let Some(ty) = constructor(self.cx, self.map, e, &self.scope.constants)? else {
                    return Ok(None);
                };
                if let CTy::Array(a) = ty {
                    return Ok(Some(CVal {
                        v: self.array_new(a, e)?,
                        ty,
                        readonly: false,
                    }));
                }
                let arena = self.arena();
                let b = self.b();
                let v = b.cfunc_container_new(ty, Some(arena));
                let null = b.cfunc_is_null(v);
                b.cfunc_check(null, FaultCode::OutOfMemory);
                Ok(Some(CVal {
                    v,
                    ty,
                    readonly: false,
                }))
            }
            Expr::Subscript(s) => {
                let Expr::Slice(sl) = &*s.slice else {
                    return Ok(None);
                };
                // `is_container_expr` takes every slice for a container, so a
                // slice of anything else is an error here, not a `None`.
                let Some(base) = self.container(&s.value)? else {
                    return Err(self.err(
                        &*s.value,
                        "slicing needs a list; only list values can be sliced",
                    ));
                };
                match base.ty {
                    CTy::List(_) => {}
                    CTy::Dict(..) => return Err(self.err(sl, "dicts cannot be sliced")),
                    CTy::Array(_) => {
                        return Err(self.err(
                            sl,
                            "arrays cannot be sliced; index them one by one, or loop over them",
                        ))
                    }
                }
                let bound =
                    |g: &mut Self, x: &Option<Box<Expr>>, dflt: i64| -> R<(Value<'c>, bool)> {
                        match x {
                            Some(x) => Ok((g.int_operand(x, "slice bounds")?, true)),
                            None => Ok((g.b().const_i64(dflt), false)),
                        }
                    };
                let (start, has_start) = bound(self, &sl.lower, 0)?;
                let (stop, has_stop) = bound(self, &sl.upper, 0)?;
                let (step, _) = bound(self, &sl.step, 1)?;
                self.set_loc(sl);
                let arena = self.arena();
                let b = self.b();
                let v =
                    b.cfunc_list_slice(arena, base.v, (start, has_start), (stop, has_stop), step);
                Ok(Some(CVal {
                    v,
                    ty: base.ty,
                    readonly: false,
                }))
            }
            _ => Ok(None),
        }
    }

    /// A container expression that must be one.
    fn expect_container(&mut self, e: &Expr, what: &str) -> R<CVal<'c>> {
        match self.container(e)? {
            Some(c) => Ok(c),
            None => Err(self.err(e, format!("{what} needs a list, dict or array"))),
        }
    }

    /// An int-valued operand (bool promotes).
    fn int_operand(&mut self, e: &Expr, what: &str) -> R<Value<'c>> {
        let (v, ty) = self.expr(e)?;
        if ty == Ty::Float {
            return Err(self.err(e, format!("{what} must be int; convert with int(...)")));
        }
        Ok(self.convert(v, ty, Ty::Int, e.range())?)
    }

    /// A value converted to a container's element (or key) type, with the
    /// scalar assignment rules.
    fn element(&mut self, e: &Expr, want: Ty, ctx: &str) -> R<Value<'c>> {
        let value = self.expr(e)?;
        self.element_of(e, value, want, ctx)
    }

    /// [`Self::element`] of `e`, already evaluated to `(v, ty)`.
    fn element_of(
        &mut self,
        e: &Expr,
        (v, ty): (Value<'c>, Ty),
        want: Ty,
        ctx: &str,
    ) -> R<Value<'c>> {
        self.convert(v, ty, want, e.range()).map_err(|refused| {
            refused.reword(|| {
                self.err(
                    e,
                    format!(
                        "{ctx} holds {want} values but this value is {}; {}",
                        super::a_ty(ty),
                        super::convert_hint(self.cx, ty, want)
                    ),
                )
            })
        })
    }

    fn check_mutable(&self, c: &CVal<'c>, at: &impl Ranged) -> R<()> {
        if let (true, Some(a)) = (c.readonly, c.ty.as_array()) {
            let make = constructor_example(self.cx, None, ContainerKind::Array);
            let make = make.split('(').next().unwrap_or("create_new_array");
            return Err(self.err(
                at,
                format!(
                    "constant array parameters are read-only; copy into a local array first (`a = {make}({}, {})`, then assign its items)",
                    a.elem, a.length
                ),
            ));
        }
        if c.readonly {
            return Err(self.err(
                at,
                format!(
                    "constant container parameters are read-only; copy into a local container first (a list: `ys = {}` then `ys.extend(w)`)",
                    constructor_example(self.cx, None, ContainerKind::List)
                ),
            ));
        }
        Ok(())
    }

    // ---- expressions -----------------------------------------------------

    /// `xs[i]` / `d[k]`.
    pub fn subscript(&mut self, s: &ast::ExprSubscript) -> R<Typed<'c>> {
        if matches!(&*s.slice, Expr::Slice(_)) {
            return Err(self.err(s, "a slice is a list; use it where a list is expected (assign it to a name, iterate over it, or take its len)"));
        }
        let Some(c) = self.container(&s.value)? else {
            return Err(self.err(
                &*s.value,
                "indexing needs a list or dict; int, float and bool values cannot be indexed",
            ));
        };
        match c.ty {
            CTy::List(t) => {
                let i = self.int_operand(&s.slice, "list indices")?;
                self.set_loc(s);
                let b = self.b();
                Ok((b.cfunc_list_get(c.v, i, t.mlir(&b)), t))
            }
            CTy::Dict(k, v) => {
                let key = self.element(&s.slice, k, "the dict's keys")?;
                self.set_loc(s);
                let b = self.b();
                Ok((b.cfunc_dict_get(c.v, key, None, v.mlir(&b)), v))
            }
            CTy::Array(a) => self.array_get(s, c.v, a),
        }
    }

    /// `len(c)`, `sum/min/max(xs)`, and container method calls. `Ok(None)`:
    /// not a container call; `Ok(Some(None))`: a call with no value.
    pub fn container_call(&mut self, c: &ast::ExprCall) -> R<Option<Option<(Value<'c>, Ty)>>> {
        match &*c.func {
            Expr::Name(n) => {
                let f = n.id.as_str();
                if !matches!(f, "len" | "sum" | "min" | "max") {
                    return Ok(None);
                }
                let [arg] = &c.arguments.args[..] else {
                    return Ok(None);
                };
                // `len(d.keys())` and friends.
                let arg = match arg {
                    Expr::Call(m) if f == "len" => match &*m.func {
                        Expr::Attribute(a)
                            if matches!(a.attr.id.as_str(), "keys" | "values" | "items")
                                && m.arguments.is_empty() =>
                        {
                            &*a.value
                        }
                        _ => arg,
                    },
                    _ => arg,
                };
                if !self.is_container_expr(arg) {
                    if matches!(arg, Expr::Name(n) if self.poisoned.contains(n.id.as_str())) {
                        // Its assignment failed, and was reported.
                        return Err(self.err(arg, super::codegen::POISONED));
                    }
                    if f == "len" {
                        return Err(self.err(arg, "len() takes a list, dict or array"));
                    }
                    return Ok(None);
                }
                let cv = self.expect_container(arg, &format!("{f}()"))?;
                self.set_loc(c);
                if let CTy::Array(a) = cv.ty {
                    return Ok(Some(Some(self.array_builtin(f, cv.v, a))));
                }
                let b = self.b();
                if f == "len" {
                    return Ok(Some(Some((b.cfunc_len(cv.v), Ty::Int))));
                }
                let CTy::List(t) = cv.ty else {
                    return Err(self.err(
                        arg,
                        format!("{f}() of a dict is not supported; iterate over d.values()"),
                    ));
                };
                let rt = if f == "sum" && t == Ty::Bool {
                    Ty::Int
                } else {
                    t
                };
                let v = b.cfunc_list_reduce(cv.v, f, rt.mlir(&b));
                Ok(Some(Some((v, rt))))
            }
            Expr::Attribute(a) => {
                if !self.is_container_expr(&a.value) {
                    return Ok(None);
                }
                let cv = self.expect_container(&a.value, "a method call")?;
                self.method(c, a, cv).map(Some)
            }
            _ => Ok(None),
        }
    }

    fn method(
        &mut self,
        c: &ast::ExprCall,
        a: &ast::ExprAttribute,
        cv: CVal<'c>,
    ) -> R<Option<(Value<'c>, Ty)>> {
        let m = a.attr.id.as_str();
        if let Some(k) = c.arguments.keywords.first() {
            return Err(self.err(k, format!("keyword arguments are not supported in .{m}()")));
        }
        let args = &c.arguments.args[..];
        let arity = |g: &Self, ok: &[usize], usage: &str| -> R<()> {
            if ok.contains(&args.len()) {
                Ok(())
            } else {
                Err(g.err(c, format!("wrong number of arguments: use {usage}")))
            }
        };
        let mutating = matches!(m, "append" | "pop" | "clear" | "insert" | "extend" | "sort");
        if mutating {
            self.check_mutable(&cv, a)?;
        }
        match cv.ty {
            CTy::Array(_) => self.array_method(c, a, cv.v),
            CTy::List(t) => match m {
                "append" => {
                    arity(self, &[1], "xs.append(value)")?;
                    let v = self.element(&args[0], t, "this list")?;
                    self.set_loc(c);
                    self.b().cfunc_list_append(cv.v, v);
                    Ok(None)
                }
                "pop" => {
                    arity(self, &[0, 1], "xs.pop() or xs.pop(index)")?;
                    let index = match args.first() {
                        Some(i) => Some(self.int_operand(i, "list indices")?),
                        None => None,
                    };
                    self.set_loc(c);
                    let b = self.b();
                    Ok(Some((b.cfunc_list_pop(cv.v, index, t.mlir(&b)), t)))
                }
                "clear" => {
                    arity(self, &[0], "xs.clear()")?;
                    self.set_loc(c);
                    self.b().cfunc_clear(cv.v);
                    Ok(None)
                }
                "insert" => {
                    arity(self, &[2], "xs.insert(index, value)")?;
                    let i = self.int_operand(&args[0], "list indices")?;
                    let v = self.element(&args[1], t, "this list")?;
                    self.set_loc(c);
                    self.b().cfunc_list_insert(cv.v, i, v);
                    Ok(None)
                }
                "extend" => {
                    arity(self, &[1], "xs.extend(other_list)")?;
                    let Some(o) = self.container(&args[0])? else {
                        return Err(self.err(&args[0], "extend() takes a list"));
                    };
                    if o.ty != cv.ty {
                        return Err(self.err(&args[0], format!("cannot extend a {} with a {}", cv.ty, o.ty)));
                    }
                    self.set_loc(c);
                    self.b().cfunc_list_extend(cv.v, o.v);
                    Ok(None)
                }
                "sort" => {
                    arity(self, &[0], "xs.sort()")?;
                    self.set_loc(c);
                    self.b().cfunc_list_sort(cv.v);
                    Ok(None)
                }
                other => Err(self.err(
                    a,
                    format!("lists have no method '{other}' here; supported: append, pop, clear, insert, extend, sort"),
                )),
            },
            CTy::Dict(k, v) => match m {
                "get" => {
                    arity(self, &[1, 2], "d.get(key, default)")?;
                    let key = self.element(&args[0], k, "the dict's keys")?;
                    let Some(d) = args.get(1) else {
                        return Err(self.err(c, "d.get(key) can return None, which has no typed value here; give a default, d.get(key, default), or use it as `return d.get(key)` (None leaves the output un-ticked) or `d.get(key) is None`"));
                    };
                    let dv = self.element(d, v, "the dict's values")?;
                    self.set_loc(c);
                    let b = self.b();
                    Ok(Some((b.cfunc_dict_get(cv.v, key, Some(dv), v.mlir(&b)), v)))
                }
                "pop" => {
                    arity(self, &[1, 2], "d.pop(key) or d.pop(key, default)")?;
                    let key = self.element(&args[0], k, "the dict's keys")?;
                    let default = match args.get(1) {
                        Some(d) => Some(self.element(d, v, "the dict's values")?),
                        None => None,
                    };
                    self.set_loc(c);
                    let b = self.b();
                    Ok(Some((b.cfunc_dict_pop(cv.v, key, default, v.mlir(&b)), v)))
                }
                "clear" => {
                    arity(self, &[0], "d.clear()")?;
                    self.set_loc(c);
                    self.b().cfunc_clear(cv.v);
                    Ok(None)
                }
                "keys" | "values" | "items" => Err(self.err(
                    c,
                    format!("d.{m}() is supported as the iterable of a for loop, in len(), and (keys) with `in`"),
                )),
                other => Err(self.err(
                    a,
                    format!("dicts have no method '{other}' here; supported: get, pop, clear, keys, values, items"),
                )),
            },
        }
    }

    /// `d.get(k)` without a default, whose value may be None: the dict
    /// handle, the key value and the value type, if `e` is one.
    pub fn optional_get(&mut self, e: &Expr) -> R<Option<(Value<'c>, Value<'c>, Ty)>> {
        let Expr::Call(c) = e else { return Ok(None) };
        let Expr::Attribute(a) = &*c.func else {
            return Ok(None);
        };
        if a.attr.id.as_str() != "get"
            || c.arguments.args.len() != 1
            || !c.arguments.keywords.is_empty()
        {
            return Ok(None);
        }
        if !self.is_container_expr(&a.value) {
            return Ok(None);
        }
        let cv = self.expect_container(&a.value, "get")?;
        let CTy::Dict(k, v) = cv.ty else {
            return Ok(None);
        };
        let key = self.element(&c.arguments.args[0], k, "the dict's keys")?;
        self.set_loc(c);
        Ok(Some((cv.v, key, v)))
    }

    /// `d.get(k) is None` / `d.get(k) is not None`: a membership test.
    pub fn is_none_test(&mut self, c: &ast::ExprCompare) -> R<Option<(Value<'c>, Ty)>> {
        let ([op], [rhs]) = (&c.ops[..], &c.comparators[..]) else {
            return Ok(None);
        };
        if !matches!(op, CmpOp::Is | CmpOp::IsNot) || !matches!(rhs, Expr::NoneLiteral(_)) {
            return Ok(None);
        }
        let Some((d, key, _)) = self.optional_get(&c.left)? else {
            return Ok(None);
        };
        let b = self.b();
        let found = b.cfunc_dict_contains(d, key);
        let r = if *op == CmpOp::Is {
            let t = b.const_bool(true);
            b.bin("arith.xori", found, t)
        } else {
            found
        };
        Ok(Some((r, Ty::Bool)))
    }

    /// `x in c` / `x not in c` when `c` is a container (also `k in d.keys()`
    /// and `v in d.values()`); `None` if the right side is not a container.
    pub fn membership(&mut self, c: &ast::ExprCompare) -> R<Option<(Value<'c>, Ty)>> {
        let ([op], [rhs]) = (&c.ops[..], &c.comparators[..]) else {
            return Ok(None);
        };
        if !matches!(op, CmpOp::In | CmpOp::NotIn) {
            return Ok(None);
        }
        let (target, view) = match rhs {
            Expr::Call(m) => match &*m.func {
                Expr::Attribute(a)
                    if matches!(a.attr.id.as_str(), "keys" | "values")
                        && m.arguments.is_empty() =>
                {
                    (&*a.value, a.attr.id.as_str())
                }
                _ => (rhs, ""),
            },
            _ => (rhs, ""),
        };
        if !self.is_container_expr(target) {
            let at = self.operator_range(c, 0);
            return Err(self.err(
                &at,
                format!(
                    "'{}' needs a list or dict on the right; on numbers use ==, !=, <, <=, >, >=",
                    op.as_str()
                ),
            ));
        }
        let cv = self.expect_container(target, "'in'")?;
        let found = match cv.ty {
            CTy::Array(_) => {
                return Err(self.err(
                    target,
                    "'in' on an array is not supported; loop over it (`for v in a:`)",
                ))
            }
            CTy::Dict(_, v) if view == "values" => {
                let x = self.element(&c.left, v, "the dict's values")?;
                self.set_loc(c);
                self.dict_values_contain(cv.v, x, v)
            }
            CTy::Dict(k, _) => {
                let x = self.element(&c.left, k, "the dict's keys")?;
                self.set_loc(c);
                let b = self.b();
                b.cfunc_dict_contains(cv.v, x)
            }
            CTy::List(t) => {
                let (x, xt) = self.expr(&c.left)?;
                // `1.5 in int_list` compares as floats in Python; here the
                // element type decides, with the assignment rules.
                let x = self.convert(x, xt, t, c.left.range()).map_err(|refused| {
                    refused.reword(|| {
                        self.err(
                            &*c.left,
                            format!(
                                "this list holds {t} values but this value is {}",
                                super::a_ty(xt)
                            ),
                        )
                    })
                })?;
                self.set_loc(c);
                let b = self.b();
                b.cfunc_list_contains(cv.v, x)
            }
        };
        let b = self.b();
        let r = if *op == CmpOp::NotIn {
            let t = b.const_bool(true);
            b.bin("arith.xori", found, t)
        } else {
            found
        };
        Ok(Some((r, Ty::Bool)))
    }

    /// `v in d.values()`: a loop over the entries.
    fn dict_values_contain(&mut self, d: Value<'c>, x: Value<'c>, vt: Ty) -> Value<'c> {
        let b = self.b();
        let start = b.const_i64(0);
        let header = self.new_block_with_arg(b.i64());
        let body = self.new_block();
        let merge = self.new_block_with_arg(b.i1());
        b.br(header, &[start]);
        self.cur = Some(header);
        let b = self.b();
        let pos0 = header.argument(0);
        let pos = b.cfunc_dict_next(d, pos0);
        let zero = b.const_i64(0);
        let live = b.cmpi(CmpI::Sge, pos, zero);
        let f = b.const_bool(false);
        b.cond_br_args(live, body, &[], merge, &[f]);
        self.cur = Some(body);
        let b = self.b();
        let v = b.cfunc_dict_value_at(d, pos, vt.mlir(&b));
        let eq = match vt.payload() {
            Ty::Float => b.cmpf(crate::dialect::builder::CmpF::Oeq, v, x),
            _ => b.cmpi(CmpI::Eq, v, x),
        };
        let one = b.const_i64(1);
        let next = b.bin("arith.addi", pos, one);
        let t = b.const_bool(true);
        // found → merge(true); else → header(next)
        let cont = self.new_block();
        b.cond_br_args(eq, merge, &[t], cont, &[]);
        self.cur = Some(cont);
        self.b().br(header, &[next]);
        self.cur = Some(merge);
        merge.argument(0)
    }

    /// Python truthiness of a container: nonempty.
    pub fn container_truthy(&mut self, e: &Expr) -> R<Option<Value<'c>>> {
        if !self.is_container_expr(e) {
            return Ok(None);
        }
        let cv = self.expect_container(e, "a condition")?;
        let b = self.b();
        if cv.ty.as_array().is_some() {
            // An array is never empty.
            return Ok(Some(b.const_bool(true)));
        }
        let n = b.cfunc_len(cv.v);
        let z = b.const_i64(0);
        Ok(Some(b.cmpi(CmpI::Ne, n, z)))
    }

    // ---- statements --------------------------------------------------------

    /// `name = <container>`: binds a local container variable. `Ok(false)`
    /// when the value is not a container.
    pub fn assign_container(&mut self, target: &Expr, value: &Expr) -> R<bool> {
        if !self.is_container_expr(value) {
            if let Expr::Name(n) = target {
                if let Some((_, ty)) = self.cstate.get(n.id.as_str()) {
                    return Err(self.err(target, state_reassigned(n.id.as_str(), *ty)));
                }
                if let Some((_, ty, _)) = self.clocals.get(n.id.as_str()) {
                    let ty = *ty;
                    return Err(self.err(
                        value,
                        format!(
                            "'{}' holds a {ty}; assign another {ty} or use a new name",
                            n.id
                        ),
                    ));
                }
            }
            return Ok(false);
        }
        let Expr::Name(n) = target else {
            return Err(self.err(
                target,
                "a list or dict can be assigned to a plain name only",
            ));
        };
        let name = n.id.as_str();
        if let Some((_, ty)) = self.cstate.get(name) {
            return Err(self.err(target, state_reassigned(name, *ty)));
        }
        if self.cconst.contains_key(name)
            || self.locals.contains_key(name)
            || self.hints.contains_key(name)
        {
            return Err(self.err(
                target,
                format!("'{name}' already holds a scalar value; use a new name for the container"),
            ));
        }
        let cv = self.expect_container(value, "this assignment")?;
        let slot = match self.clocals.get(name).copied() {
            Some((slot, ty, _)) if ty == cv.ty => slot,
            Some((_, ty, _)) => {
                return Err(self.err(
                    value,
                    format!("'{name}' holds a {ty} but this value is a {}", cv.ty),
                ));
            }
            None => {
                let b = self.entry_builder();
                let one = b.const_int(b.i32(), 1);
                let slot = b.v(
                    "llvm.alloca",
                    &[one],
                    b.ptr(),
                    &[("elem_type", b.type_attr(b.ptr()))],
                );
                let null = b.v("llvm.mlir.zero", &[], b.ptr(), &[]);
                b.op("llvm.store", &[null, slot], &[], &[]);
                slot
            }
        };
        // Read-only-ness travels with the variable: an alias of a constant
        // stays read-only. A variable is read-only if any binding is.
        let readonly = cv.readonly || self.clocals.get(name).is_some_and(|l| l.2);
        self.clocals
            .insert(name.to_string(), (slot, cv.ty, readonly));
        let p = self.handle_to_ptr(cv.v);
        self.b().op("llvm.store", &[p, slot], &[], &[]);
        Ok(true)
    }

    /// `xs[i] = v` / `d[k] = v`.
    ///
    /// Evaluated in CPython's order: the value, then the container, then
    /// the index or key (`xs[len(xs) - 1] = xs.pop()` pops first; in
    /// `d[1 << x] = d[x]` a missing key faults before the shift).
    pub fn assign_subscript(&mut self, s: &ast::ExprSubscript, value: &Expr) -> R<()> {
        let val = self.expr(value)?;
        let Some(c) = self.container(&s.value)? else {
            return Err(self.err(&*s.value, "only list and dict items can be assigned"));
        };
        self.check_mutable(&c, s)?;
        if matches!(&*s.slice, Expr::Slice(_)) {
            return Err(self.err(
                s,
                "slice assignment is not supported; assign items one by one",
            ));
        }
        match c.ty {
            CTy::List(t) => {
                let i = self.int_operand(&s.slice, "list indices")?;
                let v = self.element_of(value, val, t, "this list")?;
                self.set_loc(s);
                self.b().cfunc_list_set(c.v, i, v);
            }
            CTy::Dict(k, vt) => {
                let key = self.element(&s.slice, k, "the dict's keys")?;
                let v = self.element_of(value, val, vt, "this dict")?;
                self.set_loc(s);
                self.b().cfunc_dict_set(c.v, key, v);
            }
            CTy::Array(a) => {
                let i = self.array_index(&s.slice, a)?;
                let v = self.element_of(value, val, a.elem, "this array")?;
                self.set_loc(s);
                self.b().cfunc_array_set(c.v, i, v);
            }
        }
        Ok(())
    }

    /// `xs[i] op= v` / `d[k] op= v`: the item is read (a missing key or
    /// bad index faults, as in Python), combined, and written back.
    pub fn aug_assign_subscript(
        &mut self,
        a: &ast::StmtAugAssign,
        s: &ast::ExprSubscript,
    ) -> R<()> {
        let Some(c) = self.container(&s.value)? else {
            return Err(self.err(&*s.value, "only list and dict items can be updated"));
        };
        self.check_mutable(&c, s)?;
        let (key, elem) = match c.ty {
            CTy::List(t) => (self.int_operand(&s.slice, "list indices")?, t),
            CTy::Dict(k, v) => (self.element(&s.slice, k, "the dict's keys")?, v),
            CTy::Array(a) => (self.array_index(&s.slice, a)?, a.elem),
        };
        self.set_loc(s);
        let b = self.b();
        let old = match c.ty {
            CTy::List(_) => b.cfunc_list_get(c.v, key, elem.mlir(&b)),
            CTy::Dict(..) => b.cfunc_dict_get(c.v, key, None, elem.mlir(&b)),
            CTy::Array(_) => b.cfunc_array_get(c.v, key, elem.mlir(&b)),
        };
        let rhs = self.expr(&a.value)?;
        let (v, ty) = self.binop(a.op, (old, elem), rhs, a.range)?;
        let v = self
            .convert(v, ty, elem, a.value.range())
            .map_err(|refused| {
                refused.reword(|| {
                    self.err(
                        &*a.value,
                        format!(
                            "this container holds {elem} values but the result is {}; {}",
                            super::a_ty(ty),
                            super::convert_hint(self.cx, ty, elem)
                        ),
                    )
                })
            })?;
        self.set_loc(s);
        let b = self.b();
        match c.ty {
            CTy::List(_) => b.cfunc_list_set(c.v, key, v),
            CTy::Dict(..) => b.cfunc_dict_set(c.v, key, v),
            CTy::Array(_) => b.cfunc_array_set(c.v, key, v),
        }
        Ok(())
    }

    /// `del d[k]` / `del xs[i]`.
    pub fn delete_item(&mut self, s: &ast::ExprSubscript) -> R<()> {
        let Some(c) = self.container(&s.value)? else {
            return Err(self.err(&*s.value, "'del' is supported on list and dict items"));
        };
        if c.ty.as_array().is_some() {
            return Err(self.err(
                s,
                "an array has a fixed length: 'del' cannot remove its items (a[i] = 0 zeroes one, a.clear() all)",
            ));
        }
        self.check_mutable(&c, s)?;
        match c.ty {
            CTy::List(t) => {
                let i = self.int_operand(&s.slice, "list indices")?;
                self.set_loc(s);
                let b = self.b();
                // `del xs[i]` on an empty list is an index out of range (5)
                // in CPython, not `pop`'s "pop from empty list" (6), which
                // cfunc.list_pop checks first: check emptiness as 5 here
                // (LLVM merges the two length reads and checks).
                let n = b.cfunc_len(c.v);
                let zero = b.const_i64(0);
                let empty = b.cmpi(CmpI::Eq, n, zero);
                b.cfunc_check(empty, FaultCode::IndexOutOfRange);
                b.cfunc_list_pop(c.v, Some(i), t.mlir(&b));
            }
            CTy::Dict(k, v) => {
                let key = self.element(&s.slice, k, "the dict's keys")?;
                self.set_loc(s);
                let b = self.b();
                b.cfunc_dict_pop(c.v, key, None, v.mlir(&b));
            }
            CTy::Array(_) => unreachable!("refused above"),
        }
        Ok(())
    }

    /// `for v in xs`, `for k in d`, `for k in d.keys()`, `for v in
    /// d.values()`, `for k, v in d.items()`. `Ok(false)` if the iterable is
    /// not a container.
    ///
    /// Lists iterate by index with the length re-read on every step, so
    /// appending in the body is seen, as in Python. Dicts iterate by entry
    /// position in insertion order; a change of the dict's key set during
    /// the loop is fault 8 at the loop's next step (Python's RuntimeError).
    pub fn for_container(&mut self, f: &ast::StmtFor) -> R<bool> {
        let (target_expr, view) = match &*f.iter {
            Expr::Call(m) => match &*m.func {
                Expr::Attribute(a)
                    if matches!(a.attr.id.as_str(), "keys" | "values" | "items")
                        && m.arguments.is_empty() =>
                {
                    (&*a.value, a.attr.id.as_str())
                }
                _ => (&*f.iter, ""),
            },
            e => (e, ""),
        };
        if !self.is_container_expr(target_expr) {
            return Ok(false);
        }
        let cv = self.expect_container(target_expr, "a for loop")?;
        if let CTy::Array(a) = cv.ty {
            if !view.is_empty() {
                return Err(self.err(&*f.iter, format!("arrays have no .{view}()")));
            }
            self.for_array(f, cv.v, a)?;
            return Ok(true);
        }
        let b = self.b();
        let header = self.new_block_with_arg(b.i64());
        let body = self.new_block();
        let latch = self.new_block_with_arg(b.i64());
        let orelse = self.new_block();
        let after = self.new_block();
        match cv.ty {
            CTy::List(t) => {
                if !view.is_empty() {
                    return Err(self.err(&*f.iter, format!("lists have no .{view}()")));
                }
                let Expr::Name(_) = &*f.target else {
                    return Err(self.err(
                        &*f.target,
                        "the loop variable of a list loop is a plain name",
                    ));
                };
                let zero = b.const_i64(0);
                b.br(header, &[zero]);
                self.cur = Some(header);
                let b = self.b();
                let i = header.argument(0);
                let n = b.cfunc_len(cv.v);
                let more = b.cmpi(CmpI::Slt, i, n);
                b.cond_br(more, body, orelse);
                self.cur = Some(body);
                let b = self.b();
                let v = b.cfunc_list_get(cv.v, i, t.mlir(&b));
                self.store_name(&f.target, v, t, f.target.range())?;
                let one = self.b().const_i64(1);
                let next = self.b().bin("arith.addi", i, one);
                self.loop_with_latch(latch, next, after, &f.body)?;
                self.cur = Some(latch);
                let i = latch.argument(0);
                self.b().br(header, &[i]);
            }
            CTy::Dict(kt, vt) => {
                let version0 = b.cfunc_dict_version(cv.v);
                let zero = b.const_i64(0);
                b.br(header, &[zero]);
                self.cur = Some(header);
                self.set_loc(&*f.iter);
                let b = self.b();
                let pos0 = header.argument(0);
                let version = b.cfunc_dict_version(cv.v);
                let changed = b.cmpi(CmpI::Ne, version, version0);
                b.cfunc_check(changed, FaultCode::DictChangedDuringIteration);
                let pos = b.cfunc_dict_next(cv.v, pos0);
                let zero = b.const_i64(0);
                let more = b.cmpi(CmpI::Sge, pos, zero);
                b.cond_br(more, body, orelse);
                self.cur = Some(body);
                let key = || {
                    let b = self.b();
                    b.cfunc_dict_key_at(cv.v, pos, kt.mlir(&b))
                };
                match (view, &*f.target) {
                    ("items", Expr::Tuple(t)) if t.elts.len() == 2 => {
                        let k = key();
                        let b = self.b();
                        let v = b.cfunc_dict_value_at(cv.v, pos, vt.mlir(&b));
                        self.store_name(&t.elts[0], k, kt, t.elts[0].range())?;
                        self.store_name(&t.elts[1], v, vt, t.elts[1].range())?;
                    }
                    ("items", other) => {
                        return Err(self.err(
                            other,
                            "iterate over d.items() with two names: `for k, v in d.items()`",
                        ));
                    }
                    ("values", t @ Expr::Name(_)) => {
                        let b = self.b();
                        let v = b.cfunc_dict_value_at(cv.v, pos, vt.mlir(&b));
                        self.store_name(t, v, vt, t.range())?;
                    }
                    (_, t @ Expr::Name(_)) => {
                        let k = key();
                        self.store_name(t, k, kt, t.range())?;
                    }
                    (_, other) => {
                        return Err(self.err(other, "the loop variable of a dict loop is a plain name (use d.items() for pairs)"));
                    }
                }
                let one = self.b().const_i64(1);
                let next = self.b().bin("arith.addi", pos, one);
                self.loop_with_latch(latch, next, after, &f.body)?;
                self.cur = Some(latch);
                let p = latch.argument(0);
                self.b().br(header, &[p]);
            }
            CTy::Array(_) => unreachable!("lowered above"),
        }
        self.cur = Some(orelse);
        self.stmts(&f.orelse)?;
        self.br_to(after);
        self.cur = Some(after);
        Ok(true)
    }

    /// Runs a loop body whose `continue` (and fall-through) passes `next`
    /// to the latch block.
    pub(super) fn loop_with_latch(
        &mut self,
        latch: Block<'c>,
        next: Value<'c>,
        after: Block<'c>,
        stmts: &[ast::Stmt],
    ) -> R<()> {
        // `continue` branches to a block without arguments: give it one
        // that forwards `next` to the latch.
        let cont = self.new_block();
        Builder::at_end(cont, self.loc).br(latch, &[next]);
        self.loops.push(super::codegen::LoopTargets {
            continue_to: cont,
            break_to: after,
        });
        let r = self.stmts(stmts);
        self.loops.pop();
        r?;
        self.br_to(cont);
        Ok(())
    }

    // ---- lifecycle ---------------------------------------------------------

    /// Materialises a constant container as static data.
    pub fn const_container(b: &Builder<'c>, ty: CTy, value: &ConstValue) -> Value<'c> {
        match value {
            ConstValue::List(xs) if ty.as_array().is_some() => {
                let values: Vec<i64> = xs.iter().map(cell_bits).collect();
                b.cfunc_const_array(ty.mlir(b), &values)
            }
            ConstValue::List(xs) => {
                let values: Vec<i64> = xs.iter().map(cell_bits).collect();
                b.cfunc_const_list(ty.mlir(b), &values)
            }
            ConstValue::Dict(kv) => {
                let keys: Vec<i64> = kv.iter().map(|(k, _)| cell_bits(k)).collect();
                let values: Vec<i64> = kv.iter().map(|(_, v)| cell_bits(v)).collect();
                b.cfunc_const_dict(ty.mlir(b), &keys, &values)
            }
            _ => b.cfunc_const_list(ty.mlir(b), &[]),
        }
    }
}

/// Why container or array state `name` cannot be assigned.
fn state_reassigned(name: &str, ty: CTy) -> String {
    match ty {
        CTy::Array(_) => format!("'{name}' is array state: change its items in place (a[i] = v, a.clear()) instead of assigning"),
        _ => format!("'{name}' is container state: change it in place (append, d[k] = v, clear) instead of assigning"),
    }
}

/// A NULL handle of type `ty` (STOP stores it into the state slot).
pub fn null_handle<'c>(b: &Builder<'c>, ty: CTy) -> Value<'c> {
    let z = b.v("llvm.mlir.zero", &[], b.ptr(), &[]);
    b.v("builtin.unrealized_conversion_cast", &[z], ty.mlir(b), &[])
}
