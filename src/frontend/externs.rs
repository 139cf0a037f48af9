//! `@extern` stubs: module-level declarations of external C functions, and
//! the calls a node makes to them.
//!
//! ```python
//! from cfuncc import extern          # optional: any spelling of the import works
//!
//! @extern                            # or @extern(pure=False, inline=False, symbol="c_name")
//! def book_mid(bid: int, ask: int) -> float: ...
//!
//! def node(b: Signal[int], a: Signal[int]) -> Signal[float]:
//!     return book_mid(b, a)          # calls double book_mid(int64_t, int64_t)
//! ```
//! The decorator is recognised by its name, `extern` or `anything.extern`,
//! with or without arguments, like the other markers (`Signal`, `State`),
//! whether or not it is imported. The stub's body is `...` or `pass` (a
//! docstring may precede it): the code is the C function's.
//!
//! A call checks arity and argument types at its source location, converts
//! bool → int and int/bool → float as Python's numeric tower does, and
//! lowers through [`emit_call`](crate::dialect::externs::emit_call).

use super::codegen::FnGen;
use super::signature::{map_text, ModuleScope};
use crate::abi::externs::{check_declaration, ExternFunction};
use crate::diagnostics::{CompileError, SourceMap};
use crate::dialect::convert::{to_float, to_int};
use crate::dialect::ir::{Operation, Value};
use crate::registry::CompilationContext;
use crate::types::Ty;
use melior::ir::Module;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

type R<T> = Result<T, CompileError>;

fn err(map: &SourceMap, node: &impl Ranged, msg: impl Into<String>) -> CompileError {
    CompileError::at(map, node.start().to_usize(), msg)
}

/// Whether `e` names the `extern` decorator: `extern` or `X.extern`.
fn is_extern_name(e: &Expr) -> bool {
    match e {
        Expr::Name(n) => n.id.as_str() == "extern",
        Expr::Attribute(a) => a.attr.id.as_str() == "extern",
        _ => false,
    }
}

/// The `@extern` decorator of `f`, if it has one.
pub fn extern_decorator(f: &ast::StmtFunctionDef) -> Option<&ast::Decorator> {
    f.decorator_list.iter().find(|d| match &d.expression {
        Expr::Call(c) => is_extern_name(&c.func),
        other => is_extern_name(other),
    })
}

const USAGE: &str =
    "@extern takes the keywords pure=True|False, inline=True|False and symbol=\"c_name\"";

/// Reads the decorator's keywords into `f`.
fn decorator_options(map: &SourceMap, d: &ast::Decorator, f: &mut ExternFunction) -> R<()> {
    let Expr::Call(c) = &d.expression else {
        return Ok(());
    };
    if let Some(a) = c.arguments.args.first() {
        return Err(err(map, a, format!("{USAGE}, by keyword")));
    }
    for kw in &c.arguments.keywords {
        let Some(name) = &kw.arg else {
            return Err(err(map, kw, USAGE));
        };
        match (name.id.as_str(), &kw.value) {
            ("pure", Expr::BooleanLiteral(b)) => f.pure = b.value,
            ("inline", Expr::BooleanLiteral(b)) => f.inline = b.value,
            ("symbol", Expr::StringLiteral(s)) => f.symbol = s.value.to_str().to_string(),
            ("pure" | "inline", v) => {
                return Err(err(
                    map,
                    v,
                    format!("@extern({}=...) takes True or False", name.id),
                ))
            }
            ("symbol", v) => {
                return Err(err(
                    map,
                    v,
                    "@extern(symbol=...) takes a string literal: the C function's name",
                ))
            }
            _ => {
                return Err(err(
                    map,
                    kw,
                    format!("unknown @extern option '{}'; {USAGE}", name.id),
                ))
            }
        }
    }
    Ok(())
}

/// A parameter or return annotation of a stub.
fn stub_type(cx: &CompilationContext, map: &SourceMap, ann: &Expr, what: &str) -> R<Ty> {
    if let Expr::Name(n) = ann {
        if let Some(t) = cx.type_for(n.id.as_str()) {
            return Ok(t);
        }
    }
    Err(err(
        map,
        ann,
        format!(
            "unsupported type '{}' for {what}; an extern takes and returns {}",
            map_text(map, ann),
            cx.type_names().join("|")
        ),
    ))
}

/// Parses one `@extern` stub.
fn stub(
    cx: &CompilationContext,
    map: &SourceMap,
    f: &ast::StmtFunctionDef,
    d: &ast::Decorator,
) -> R<ExternFunction> {
    let name = f.name.id.as_str();
    if f.decorator_list.len() > 1 {
        let other = f
            .decorator_list
            .iter()
            .find(|o| !std::ptr::eq(*o, d))
            .expect("more than one decorator");
        return Err(err(
            map,
            &other.expression,
            format!("extern '{name}' takes no decorator besides @extern"),
        ));
    }
    if f.is_async {
        return Err(err(
            map,
            f,
            format!("extern '{name}' cannot be 'async def': it declares a plain C function"),
        ));
    }
    if let Some(tp) = &f.type_params {
        return Err(err(
            map,
            &**tp,
            format!("extern '{name}' cannot have type parameters"),
        ));
    }
    let p = &f.parameters;
    let positional_only =
        "an extern's parameters are plain positional parameters, one per C argument";
    if let Some(v) = &p.vararg {
        return Err(err(
            map,
            &**v,
            format!("'*{}' in extern '{name}': {positional_only}", v.name.id),
        ));
    }
    if let Some(k) = &p.kwarg {
        return Err(err(
            map,
            &**k,
            format!("'**{}' in extern '{name}': {positional_only}", k.name.id),
        ));
    }
    if let Some(k) = p.kwonlyargs.first() {
        return Err(err(
            map,
            k,
            format!("keyword-only parameter in extern '{name}': {positional_only}"),
        ));
    }
    let mut params = Vec::new();
    for param in p.posonlyargs.iter().chain(&p.args) {
        let pname = param.parameter.name.id.as_str();
        if let Some(d) = &param.default {
            return Err(err(
                map,
                &**d,
                format!("parameter '{pname}' of extern '{name}' cannot have a default: C has none"),
            ));
        }
        let Some(ann) = param.parameter.annotation.as_deref() else {
            return Err(err(
                map,
                &param.parameter,
                format!(
                    "parameter '{pname}' of extern '{name}' needs a type annotation: {}",
                    cx.type_names().join("|")
                ),
            ));
        };
        params.push(stub_type(
            cx,
            map,
            ann,
            &format!("parameter '{pname}' of extern '{name}'"),
        )?);
    }
    let ret = match f.returns.as_deref() {
        None => {
            return Err(err(
                map,
                &f.name,
                format!(
                    "extern '{name}' needs a return annotation: -> {}|None",
                    cx.type_names().join("|")
                ),
            ))
        }
        Some(Expr::NoneLiteral(_)) => None,
        Some(ann) => Some(stub_type(
            cx,
            map,
            ann,
            &format!("the result of extern '{name}'"),
        )?),
    };
    for s in &f.body {
        let empty = match s {
            Stmt::Pass(_) => true,
            Stmt::Expr(e) => matches!(&*e.value, Expr::EllipsisLiteral(_) | Expr::StringLiteral(_)),
            _ => false,
        };
        if !empty {
            return Err(err(
                map,
                s,
                format!("the body of extern '{name}' must be `...` or `pass`: the code is the C function's"),
            ));
        }
    }
    let mut ext = ExternFunction::new(name, &params, ret);
    decorator_options(map, d, &mut ext)?;
    check_declaration(&ext).map_err(|m| {
        if ext.symbol == ext.name {
            err(map, &f.name, m)
        } else {
            err(map, &d.expression, m)
        }
    })?;
    Ok(ext)
}

/// Collects the module's `@extern` stubs. A name defined twice at module
/// level, or an extern given as the node to compile, is an error.
pub fn collect(
    cx: &CompilationContext,
    map: &SourceMap,
    module: &ast::ModModule,
    node: &str,
) -> R<Vec<ExternFunction>> {
    let mut externs: Vec<ExternFunction> = Vec::new();
    let mut seen: Vec<(&str, bool)> = Vec::new();
    for s in &module.body {
        let Stmt::FunctionDef(f) = s else { continue };
        let name = f.name.id.as_str();
        let d = extern_decorator(f);
        if let Some((_, was_extern)) = seen.iter().find(|(n, _)| *n == name) {
            if d.is_some() || *was_extern {
                return Err(err(
                    map,
                    &f.name,
                    format!("'{name}' is defined twice at module level; an @extern declaration needs a name of its own"),
                ));
            }
        }
        seen.push((name, d.is_some()));
        let Some(d) = d else { continue };
        if name == node {
            return Err(err(
                map,
                &f.name,
                format!("'{name}' is an @extern declaration of a C function, not a node; compile a function that calls it"),
            ));
        }
        let ext = stub(cx, map, f, d)?;
        if ext.symbol == node {
            return Err(err(
                map,
                &d.expression,
                format!("extern '{name}' cannot use the node's own name '{node}' as its C symbol"),
            ));
        }
        let same_symbol = externs
            .iter()
            .chain(cx.all_externs())
            .find(|e| e.symbol == ext.symbol && (e.params != ext.params || e.ret != ext.ret));
        if let Some(other) = same_symbol {
            return Err(err(
                map,
                &f.name,
                format!(
                    "extern '{name}' calls the C symbol '{}', which extern {} declares with another signature",
                    ext.symbol,
                    other.python_signature()
                ),
            ));
        }
        externs.push(ext);
    }
    Ok(externs)
}

/// The externs `module` calls, in declaration order: every `func.func`
/// declaration the frontend made, matched to its extern by symbol (the
/// source's stubs first, then the context's registrations).
pub fn used(cx: &CompilationContext, scope: &ModuleScope, module: &Module) -> Vec<ExternFunction> {
    let mut out = Vec::new();
    let module = Operation::of_module(module);
    let body = module.region(0).first_block().expect("a module has a body");
    for op in body.operations() {
        let is_decl = op.name() == "func.func" && op.region(0).first_block().is_none();
        if is_decl {
            let sym = op.str_attr("sym_name").unwrap_or_default();
            if let Some(f) = scope
                .externs
                .iter()
                .chain(cx.all_externs())
                .find(|e| e.symbol == sym)
            {
                out.push(f.clone());
            }
        }
    }
    out
}

impl<'c> FnGen<'c> {
    /// The extern a call names, if it names one: a stub of this module, or
    /// (unless a module-level function, an import or a local takes the name)
    /// one registered in the context.
    fn extern_named(&self, c: &ast::ExprCall) -> Option<ExternFunction> {
        let Expr::Name(n) = &*c.func else {
            return None;
        };
        let name = n.id.as_str();
        if let Some(f) = self.scope.externs.iter().find(|e| e.name == name) {
            return Some(f.clone());
        }
        let taken = self.scope.functions.iter().any(|f| f == name)
            || self.imports.contains_key(name)
            || self.assigned.contains(name)
            || self.inputs.contains_key(name);
        if taken {
            return None;
        }
        self.cx.extern_function(name).cloned()
    }

    /// Lowers a call to an extern used as a value; `None` when the call is
    /// not to an extern.
    pub(super) fn extern_value(&mut self, c: &ast::ExprCall) -> R<Option<(Value<'c>, Ty)>> {
        match self.extern_call(c)? {
            None => Ok(None),
            Some(Some(v)) => Ok(Some(v)),
            Some(None) => Err(self.err(
                c,
                format!(
                    "{}() returns None, so it has no value; call it as a statement of its own",
                    map_text(self.map, &*c.func)
                ),
            )),
        }
    }

    /// Lowers a call to an extern. `None`: the call is not to an extern;
    /// `Some(None)`: it was, to a `void` function.
    pub(super) fn extern_call(&mut self, c: &ast::ExprCall) -> R<Option<Option<(Value<'c>, Ty)>>> {
        let (f, receiver) = match &*c.func {
            Expr::Attribute(a) => match self.extern_method_named(a)? {
                Some((f, r)) => (f, Some(r)),
                None => return Ok(None),
            },
            _ => match self.extern_named(c) {
                Some(f) => (f, None),
                None => return Ok(None),
            },
        };
        let name = match f.receiver() {
            Some(s) => format!("{}.{}", s.name, f.name),
            None => f.name.clone(),
        };
        if let Some(k) = c.arguments.keywords.first() {
            return Err(self.err(
                k,
                format!("keyword arguments are not supported in calls to extern {name}(); pass the arguments by position"),
            ));
        }
        let args = &c.arguments.args;
        if let Some(s) = args.iter().find(|a| a.is_starred_expr()) {
            return Err(self.err(s, "'*args' in calls is not supported"));
        }
        // A method's receiver is its first parameter.
        let params = &f.params[usize::from(receiver.is_some())..];
        if args.len() != params.len() {
            let n = params.len();
            return Err(self.err(
                c,
                format!(
                    "{name}() takes {n} argument{} but {} {} given (extern {})",
                    if n == 1 { "" } else { "s" },
                    args.len(),
                    if args.len() == 1 { "was" } else { "were" },
                    f.python_signature()
                ),
            ));
        }
        let mut vals: Vec<Value<'c>> = receiver.into_iter().collect();
        for (i, (a, want)) in args.iter().zip(params).enumerate() {
            let (v, got) = self.expr(a)?;
            let b = self.b();
            let v = match (got, *want) {
                (g, w) if g == w => v,
                (Ty::Bool, Ty::Int) => to_int(&b, v, got),
                (Ty::Int | Ty::Bool, Ty::Float) => to_float(&b, v, got),
                _ => {
                    let hint = if want.is_numeric() && got.is_numeric() {
                        format!("; convert it with {}(...)", want.python_name())
                    } else {
                        String::new()
                    };
                    return Err(self.err(
                        a,
                        format!(
                            "argument {} of {name}() must be {}, not {} (extern {}){hint}",
                            i + 1,
                            super::a_ty(*want),
                            super::a_ty(got),
                            f.python_signature(),
                        ),
                    ));
                }
            };
            vals.push(v);
        }
        self.set_loc(c);
        let b = self.b();
        let r = crate::dialect::externs::emit_call(&f, &b, &vals).map_err(|m| self.err(c, m))?;
        Ok(Some(r.map(|v| {
            (v, f.ret.expect("a value comes from a non-void extern"))
        })))
    }

    /// `value.method` naming an extern method registered for the value's
    /// struct type: the extern and the receiver's value. `None` when no
    /// extern method of that name is registered or the base is not a value
    /// (a module, an enum).
    fn extern_method_named(
        &mut self,
        a: &ast::ExprAttribute,
    ) -> R<Option<(ExternFunction, Value<'c>)>> {
        let method = a.attr.id.as_str();
        if !self
            .cx
            .all_externs()
            .iter()
            .any(|e| e.method && e.name == method)
        {
            return Ok(None);
        }
        let Expr::Name(base) = &*a.value else {
            return Ok(None);
        };
        if !self.is_value_name(base.id.as_str()) {
            return Ok(None);
        }
        let (v, ty) = self.expr(&a.value)?;
        let Some(def) = ty.as_struct() else {
            return Err(self.err(
                a,
                format!(
                    "'.{method}()' on {} value is not supported: only structs have methods",
                    super::a_ty(ty)
                ),
            ));
        };
        match self.cx.extern_method(&def.name, method) {
            Some(f) => Ok(Some((f.clone(), v))),
            None => {
                let mut known: Vec<&str> = self
                    .cx
                    .all_externs()
                    .iter()
                    .filter(|e| e.receiver().is_some_and(|s| s.name == def.name))
                    .map(|e| e.name.as_str())
                    .collect();
                known.sort();
                let has = if known.is_empty() {
                    "it has none".to_string()
                } else {
                    format!("its methods are {}", known.join(", "))
                };
                Err(self.err(a, format!("{} has no method '{method}'; {has}", def.name)))
            }
        }
    }
}
