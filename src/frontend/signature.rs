//! The node's interface: module-level constants and imports, parameters
//! (inputs and constants), outputs and state declarations.

use super::literal::{eval_literal, literal_problem, Env, Unsupported};
pub use crate::abi::signature::{InputSpec, NodeSignature, OutputSpec, StateSpec, FAULT_STATE};
use crate::diagnostics::{CompileError, SourceMap};
use crate::registry::CompilationContext;
use crate::types::{CTy, ConstValue, Ty};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;
use std::collections::HashMap;

/// Module-level context of the node function.
pub struct ModuleScope {
    /// Local alias → qualified name (`sqrt` → `math.sqrt`, `m` → `math`).
    pub imports: HashMap<String, String>,
    /// Module-level constants.
    pub constants: HashMap<String, ConstValue>,
    /// Names of the other functions defined in the module.
    pub functions: Vec<String>,
    /// The module-level functions by name, for helper calls
    /// (`helpers.rs` inlines them).
    pub helpers: HashMap<String, ast::StmtFunctionDef>,
    /// The module's `@extern` declarations (see `externs.rs`).
    pub externs: Vec<crate::abi::externs::ExternFunction>,
}

fn err(map: &SourceMap, node: &impl Ranged, msg: impl Into<String>) -> CompileError {
    CompileError::at(map, node.start().to_usize(), msg)
}

/// Records an `import` / `from ... import` statement into `imports`.
pub fn record_import(cx: &CompilationContext, stmt: &Stmt, imports: &mut HashMap<String, String>) {
    match stmt {
        Stmt::Import(i) => {
            for alias in &i.names {
                let name = alias.name.id.to_string();
                let local = alias.asname.as_ref().map_or_else(
                    || name.split('.').next().unwrap_or(&name).to_string(),
                    |a| a.id.to_string(),
                );
                imports.insert(local, name);
            }
        }
        Stmt::ImportFrom(i) => {
            let module = i
                .module
                .as_ref()
                .map(|m| m.id.to_string())
                .unwrap_or_default();
            for alias in &i.names {
                let name = alias.name.id.to_string();
                let local = alias
                    .asname
                    .as_ref()
                    .map_or_else(|| name.clone(), |a| a.id.to_string());
                // Markers (Signal, State, ...) are recognised by name wherever
                // they are imported from; only modules whose functions or
                // attributes the context registers (`math`) are qualified:
                // `from math import sqrt` → `math.sqrt`.
                let prefix = format!("{module}.");
                let known = cx.all_calls().any(|h| h.name.starts_with(&prefix))
                    || cx.all_attributes().any(|h| h.name.starts_with(&prefix));
                if known {
                    imports.insert(local, format!("{prefix}{name}"));
                }
            }
        }
        _ => {}
    }
}

/// Collects imports, module constants and function names; finds the node.
pub fn scan_module<'a>(
    cx: &CompilationContext,
    map: &SourceMap,
    module: &'a ast::ModModule,
    function: &str,
) -> Result<(&'a ast::StmtFunctionDef, ModuleScope), CompileError> {
    let mut scope = ModuleScope {
        imports: HashMap::new(),
        constants: HashMap::new(),
        functions: Vec::new(),
        helpers: HashMap::new(),
        externs: Vec::new(),
    };
    let mut found = None;
    for stmt in &module.body {
        match stmt {
            Stmt::Import(_) | Stmt::ImportFrom(_) => record_import(cx, stmt, &mut scope.imports),
            Stmt::FunctionDef(f) => {
                scope.functions.push(f.name.id.to_string());
                if f.name.id.as_str() == function {
                    found = Some(f);
                } else {
                    // Only the other functions can be helpers (the node
                    // calling itself is recursion): the node's own body,
                    // usually the largest, is not copied.
                    scope.helpers.insert(f.name.id.to_string(), f.clone());
                }
            }
            Stmt::Assign(a) => {
                if let [Expr::Name(n)] = a.targets.as_slice() {
                    if let Ok(v) = eval_literal(&a.value, Env::new(cx, &scope.constants)) {
                        scope.constants.insert(n.id.to_string(), v);
                    }
                }
            }
            Stmt::AnnAssign(a) => {
                if let (Expr::Name(n), Some(v)) = (&*a.target, &a.value) {
                    if let Ok(v) = eval_literal(v, Env::new(cx, &scope.constants)) {
                        scope.constants.insert(n.id.to_string(), v);
                    }
                }
            }
            _ => {}
        }
    }
    match found {
        Some(f) => Ok((f, scope)),
        None => {
            let mut msg = format!("no function named '{function}' in this file");
            if !scope.functions.is_empty() {
                msg.push_str(&format!("; it defines: {}", scope.functions.join(", ")));
            }
            Err(CompileError::at_pos(
                map,
                crate::diagnostics::Pos { line: 1, col: 1 },
                msg,
            ))
        }
    }
}

/// `Wrapper[Arg]` → (`Wrapper`, `Arg`).
fn subscript_parts(e: &Expr) -> Option<(&str, &Expr)> {
    if let Expr::Subscript(s) = e {
        if let Expr::Name(n) = &*s.value {
            return Some((n.id.as_str(), &s.slice));
        }
    }
    None
}

fn type_name_list(cx: &CompilationContext) -> String {
    cx.type_names().join("|")
}

/// Resolves a scalar type annotation (`int`, `float`, `bool`).
pub fn resolve_type(
    cx: &CompilationContext,
    map: &SourceMap,
    e: &Expr,
    what: &str,
) -> Result<Ty, CompileError> {
    if let Expr::Name(n) = e {
        if let Some(t) = cx.type_for(n.id.as_str()) {
            return Ok(t);
        }
    }
    Err(err(
        map,
        e,
        format!(
            "unsupported type '{}' for {what}; supported types are {}",
            map_text(map, e),
            type_name_list(cx)
        ),
    ))
}

/// The source text of a node.
pub fn map_text<'m>(map: &'m SourceMap, node: &impl Ranged) -> &'m str {
    let r = node.range();
    &map.text[r.start().to_usize()..r.end().to_usize()]
}

/// Analyses parameters and the return annotation.
pub fn analyse_signature(
    cx: &CompilationContext,
    map: &SourceMap,
    f: &ast::StmtFunctionDef,
    scope: &ModuleScope,
    given: &HashMap<String, ConstValue>,
) -> Result<NodeSignature, CompileError> {
    if f.is_async {
        return Err(err(
            map,
            f,
            "'async def' is not supported: a node is a plain 'def' called once per tick",
        ));
    }
    if let Some(tp) = &f.type_params {
        return Err(err(
            map,
            &**tp,
            "type parameters are not supported on a node",
        ));
    }
    let p = &f.parameters;
    if let Some(v) = &p.vararg {
        return Err(err(
            map,
            &**v,
            "'*args' is not supported: declare each input as a named parameter",
        ));
    }
    if let Some(k) = &p.kwarg {
        return Err(err(
            map,
            &**k,
            "'**kwargs' is not supported: declare each input as a named parameter",
        ));
    }
    let mut inputs: Vec<InputSpec> = Vec::new();
    let mut constants = Vec::new();
    let mut const_containers = Vec::new();
    for param in p.posonlyargs.iter().chain(&p.args).chain(&p.kwonlyargs) {
        let name = param.parameter.name.id.to_string();
        let Some(ann) = param.parameter.annotation.as_deref() else {
            return Err(err(
                map,
                &param.parameter,
                format!(
                    "parameter '{name}' needs a type annotation: Signal[{}] for an input, or {} for a constant",
                    type_name_list(cx),
                    type_name_list(cx)
                ),
            ));
        };
        if let Some((wrapper, arg)) = subscript_parts(ann) {
            if let Some(h) = cx.input_handler(wrapper) {
                let ty = resolve_type(cx, map, arg, &format!("input '{name}'"))?;
                if cx
                    .category(&h.category)
                    .and_then(|c| c.inputs.as_ref())
                    .is_none()
                {
                    return Err(err(map, ann, format!("'{wrapper}' inputs belong to source category '{}', which carries no inputs", h.category)));
                }
                let index = inputs.iter().filter(|i| i.category == h.category).count();
                inputs.push(InputSpec {
                    name,
                    ty,
                    category: h.category.clone(),
                    index,
                });
                continue;
            }
            if wrapper == "State" {
                return Err(err(map, ann, format!("parameter '{name}' cannot be State: declare state in the body as `{name}: State[T] = initial`")));
            }
        }
        if let Some(declared) = super::containers::annotation(
            cx,
            map,
            ann,
            &format!("parameter '{name}'"),
            &scope.constants,
        )? {
            let cty = match declared {
                super::containers::Declared::Of(cty) => cty,
                super::containers::Declared::Bare(kind) => {
                    let args = match kind {
                        crate::registry::ContainerKind::List => "int",
                        crate::registry::ContainerKind::Dict => "int, float",
                        crate::registry::ContainerKind::Array => "int, 8",
                    };
                    let bare = map_text(map, ann);
                    let what = if kind == crate::registry::ContainerKind::Array {
                        "its element type and length"
                    } else {
                        "its element types"
                    };
                    return Err(err(
                        map,
                        ann,
                        format!("constant container '{name}' needs {what}: {bare}[{args}]"),
                    ));
                }
            };
            let value = if let Some(v) = given.get(&name) {
                v.clone()
            } else if let Some(d) = &param.default {
                super::literal::eval_container_literal(d, Env::new(cx, &scope.constants)).map_err(|Unsupported| {
                    err(map, &**d, format!("the default of constant '{name}' must be a list or dict literal of int, float or bool literals"))
                })?
            } else {
                return Err(err(
                    map,
                    &param.parameter,
                    format!("missing value for constant parameter '{name}': pass --const {name}=VALUE or give it a default"),
                ));
            };
            if let ConstValue::Dict(kv) = &value {
                if kv
                    .iter()
                    .any(|(k, _)| matches!(k, ConstValue::Float(f) if f.is_nan()))
                {
                    return Err(err(
                        map,
                        &param.parameter,
                        format!("constant '{name}' has a NaN key: NaN is not a usable dict key (inserting one faults)"),
                    ));
                }
            }
            if let (CTy::Array(a), ConstValue::List(xs)) = (cty, &value) {
                if xs.len() != a.length {
                    return Err(err(
                        map,
                        &param.parameter,
                        format!(
                            "constant '{name}' is declared {} with {} elements but was given {} elements",
                            map_text(map, ann),
                            a.length,
                            xs.len()
                        ),
                    ));
                }
            }
            let value = value.coerce_container(cty).ok_or_else(|| {
                let declared = match cty {
                    CTy::Array(_) => map_text(map, ann).to_string(),
                    c => c.to_string(),
                };
                err(
                    map,
                    &param.parameter,
                    format!(
                        "constant '{name}' is declared {declared} but was given {}",
                        super::containers::describe_const(&value)
                    ),
                )
            })?;
            const_containers.push((name, cty, value));
            continue;
        }
        if let Expr::Name(n) = ann {
            if cx.input_handler(n.id.as_str()).is_some() {
                return Err(err(
                    map,
                    ann,
                    format!(
                        "input '{name}' needs a type argument: {}[{}]",
                        n.id,
                        type_name_list(cx)
                    ),
                ));
            }
        }
        let ty = resolve_type(cx, map, ann, &format!("parameter '{name}'"))?;
        let value = if let Some(v) = given.get(&name) {
            v.clone()
        } else if let Some(d) = &param.default {
            eval_literal(d, Env::new(cx, &scope.constants)).map_err(|Unsupported| {
                let msg = literal_problem(d, Env::new(cx, &scope.constants)).unwrap_or_else(
                    || format!("the default of constant '{name}' must be an int, float or bool literal or a module-level constant"),
                );
                err(map, &**d, msg)
            })?
        } else {
            return Err(err(
                map,
                &param.parameter,
                format!("missing value for constant parameter '{name}': pass --const {name}=VALUE or give it a default"),
            ));
        };
        let converted = as_type(cx, &value, ty, false)
            .map_err(|m| err(map, &param.parameter, format!("constant '{name}': {m}")))?;
        let value = converted.ok_or_else(|| {
            err(
                map,
                &param.parameter,
                format!(
                    "constant '{name}' is declared {ty} but was given {}; pass {} value",
                    super::a_ty(value.ty()),
                    super::a_ty(ty)
                ),
            )
        })?;
        constants.push((name, value));
    }
    let mut keys: Vec<&String> = given.keys().collect();
    keys.sort();
    for key in keys {
        if !constants.iter().any(|(n, _)| n == key)
            && !const_containers.iter().any(|(n, _, _)| n == key)
        {
            let names: Vec<&str> = constants
                .iter()
                .map(|(n, _)| n.as_str())
                .chain(const_containers.iter().map(|(n, _, _)| n.as_str()))
                .collect();
            let known = if names.is_empty() {
                "it has none".to_string()
            } else {
                format!("its constant parameters are: {}", names.join(", "))
            };
            return Err(err(
                map,
                &f.name,
                format!(
                    "--const {key}: '{}' has no constant parameter named '{key}'; {known}",
                    f.name.id
                ),
            ));
        }
    }
    let (outputs, named_outputs) = analyse_returns(cx, map, f)?;
    let state = collect_state(cx, map, &f.body, scope)?;
    Ok(NodeSignature {
        function: f.name.id.to_string(),
        inputs,
        constants,
        outputs,
        named_outputs,
        state,
        const_containers,
        externs: Vec::new(),
    })
}

fn analyse_returns(
    cx: &CompilationContext,
    map: &SourceMap,
    f: &ast::StmtFunctionDef,
) -> Result<(Vec<OutputSpec>, bool), CompileError> {
    let Some(ret) = f.returns.as_deref() else {
        return Err(err(
            map,
            &f.name,
            format!(
                "node '{}' needs a return annotation: -> Signal[T] or -> Outputs(name=T, ...)",
                f.name.id
            ),
        ));
    };
    if let Some((wrapper, arg)) = subscript_parts(ret) {
        if cx.output_handler(wrapper).is_some_and(|h| !h.named) {
            let ty = resolve_type(cx, map, arg, "the output")?;
            return Ok((
                vec![OutputSpec {
                    name: "output_0".into(),
                    ty,
                }],
                false,
            ));
        }
    }
    if let Expr::Call(c) = ret {
        if let Expr::Name(n) = &*c.func {
            if cx.output_handler(n.id.as_str()).is_some_and(|h| h.named) {
                if let Some(a) = c.arguments.args.first() {
                    return Err(err(
                        map,
                        a,
                        "declare named outputs as keywords: Outputs(name=type, ...)",
                    ));
                }
                let mut outs = Vec::new();
                for kw in &c.arguments.keywords {
                    let Some(name) = &kw.arg else {
                        return Err(err(
                            map,
                            kw,
                            "declare named outputs as keywords: Outputs(name=type, ...)",
                        ));
                    };
                    let ty = resolve_type(cx, map, &kw.value, &format!("output '{}'", name.id))?;
                    outs.push(OutputSpec {
                        name: name.id.to_string(),
                        ty,
                    });
                }
                if outs.is_empty() {
                    return Err(err(
                        map,
                        ret,
                        "Outputs(...) needs at least one named output",
                    ));
                }
                return Ok((outs, true));
            }
        }
    }
    Err(err(
        map,
        ret,
        format!(
            "unsupported return annotation '{}': use Signal[T] or Outputs(name=T, ...)",
            map_text(map, ret)
        ),
    ))
}

/// Whether an annotation is `State[...]` or bare `State`.
pub fn is_state_annotation(e: &Expr) -> bool {
    match e {
        Expr::Name(n) => n.id.as_str() == "State",
        Expr::Subscript(s) => matches!(&*s.value, Expr::Name(n) if n.id.as_str() == "State"),
        _ => false,
    }
}

fn collect_state(
    cx: &CompilationContext,
    map: &SourceMap,
    body: &[Stmt],
    scope: &ModuleScope,
) -> Result<Vec<StateSpec>, CompileError> {
    let mut found: Vec<(StateSpec, usize)> = Vec::new();
    let mut error = None;
    walk_stmts(body, &mut |s| {
        if error.is_some() {
            return;
        }
        if let Stmt::AnnAssign(a) = s {
            if is_state_annotation(&a.annotation) {
                match state_decl(cx, map, a, scope) {
                    Ok(spec) => {
                        if found.iter().any(|(f, _)| f.name == spec.name) {
                            error = Some(err(
                                map,
                                a,
                                format!(
                                    "state '{}' is declared twice; declare each state once",
                                    spec.name
                                ),
                            ));
                        } else {
                            found.push((spec, a.start().to_usize()));
                        }
                    }
                    Err(e) => error = Some(e),
                }
            }
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    // The seed's slot order: size descending, then name. An array counts
    // its byte size, as the seed's does (`create_new_array(int, 4)` is 32).
    let mut state: Vec<StateSpec> = found.into_iter().map(|(s, _)| s).collect();
    let size = |s: &StateSpec| match (s.array, s.container) {
        (Some(a), _) => a.byte_size(),
        (None, Some(_)) => 8,
        (None, None) => cell_size(s.ty),
    };
    state.sort_by(|a, b| size(b).cmp(&size(a)).then_with(|| a.name.cmp(&b.name)));
    // The node's fault record, per instance: a hidden int state cell after
    // every declared one (README "Defined behaviour and faults").
    state.push(StateSpec {
        name: FAULT_STATE.to_string(),
        ty: Ty::Int,
        slot: 0,
        initial: ConstValue::Int(0),
        at: 0,
        container: None,
        struct_init: Vec::new(),
        array: None,
    });
    for (i, s) in state.iter_mut().enumerate() {
        s.slot = i;
    }
    Ok(state)
}

/// The natural size of a type, used only to order state slots as the seed does.
fn cell_size(ty: Ty) -> usize {
    match ty.payload() {
        Ty::Bool => 1,
        // A struct state slot holds the address of host memory.
        _ => 8,
    }
}

fn state_decl(
    cx: &CompilationContext,
    map: &SourceMap,
    a: &ast::StmtAnnAssign,
    scope: &ModuleScope,
) -> Result<StateSpec, CompileError> {
    let Expr::Name(target) = &*a.target else {
        return Err(err(
            map,
            &*a.target,
            "state must be declared on a plain name: `name: State[T] = initial`",
        ));
    };
    let name = target.id.to_string();
    if let Some(cty) = super::containers::state_container(cx, map, a, &name, scope)? {
        // An array lives in host memory behind `state[slot]`; a list or a
        // dict is the runtime's, its pointer stored in `state[slot]`.
        let (container, array) = match cty {
            CTy::Array(at) => (None, Some(at)),
            c => (Some(c), None),
        };
        return Ok(StateSpec {
            name,
            ty: cty.value(),
            slot: 0,
            initial: ConstValue::Int(0),
            at: a.start().to_usize(),
            container,
            struct_init: Vec::new(),
            array,
        });
    }
    let Expr::Subscript(sub) = &*a.annotation else {
        return Err(err(
            map,
            &*a.annotation,
            format!(
                "state '{name}' needs a type argument: State[{}]",
                type_name_list(cx)
            ),
        ));
    };
    let ty = resolve_type(cx, map, &sub.slice, &format!("state '{name}'"))?;
    if let Ty::Struct(def) = ty {
        // `q: State[Quote] = Quote(bid=1.0)`: host memory, zero-filled at
        // START, then the given fields written.
        let struct_init = struct_initializer(cx, map, a, &name, def, scope)?;
        return Ok(StateSpec {
            name,
            ty,
            slot: 0,
            initial: ConstValue::Int(0),
            at: a.start().to_usize(),
            container: None,
            struct_init,
            array: None,
        });
    }
    let Some(value) = &a.value else {
        return Err(err(
            map,
            a,
            format!("state '{name}' needs an initial value: `{name}: State[{ty}] = ...`"),
        ));
    };
    let v = eval_literal(value, Env::new(cx, &scope.constants)).map_err(|Unsupported| {
        let msg = literal_problem(value, Env::new(cx, &scope.constants)).unwrap_or_else(
            || format!("the initial value of state '{name}' must be an int, float or bool literal or a module-level constant; assign computed values in the body"),
        );
        err(map, &**value, msg)
    })?;
    let initial = as_type(cx, &v, ty, true)
        .map_err(|m| err(map, &**value, format!("state '{name}': {m}")))?;
    let initial = initial.ok_or_else(|| {
        err(
            map,
            &**value,
            format!(
                "state '{name}' is declared {ty} but its initial value is {}; write {} literal{}",
                super::a_ty(v.ty()),
                super::a_ty(ty),
                // The seed's nodes write `State[datetime] = 0`.
                match (ty.to_string().as_str(), v.ty()) {
                    ("datetime" | "timedelta", Ty::Int) => ", or compile with --datetime-as-int (the seed's convention: int64 nanoseconds)",
                    _ => "",
                }
            ),
        )
    })?;
    Ok(StateSpec {
        name,
        ty,
        slot: 0,
        initial,
        at: a.start().to_usize(),
        container: None,
        struct_init: Vec::new(),
        array: None,
    })
}

/// The fields a struct state's initializer gives: `Quote()` and `None`
/// (the seed's spelling, also zero-filled) give none, `Quote(1.0,
/// ask=2.0)` fields by position (declaration order) and by name, each a
/// constant of the field's type.
fn struct_initializer(
    cx: &CompilationContext,
    map: &SourceMap,
    a: &ast::StmtAnnAssign,
    name: &str,
    def: &'static crate::types::StructDef,
    scope: &ModuleScope,
) -> Result<Vec<(String, ConstValue)>, CompileError> {
    let usage = format!(
        "struct state '{name}' is initialised by a call of its type with constant fields: `{name}: State[{0}] = {0}()` or `= None` (zero-filled), or `{0}({1}=...)`",
        def.name,
        def.fields.first().map_or("field", |f| f.name.as_str())
    );
    let call = match a.value.as_deref() {
        Some(Expr::NoneLiteral(_)) => return Ok(Vec::new()),
        Some(Expr::Call(c)) if matches!(&*c.func, Expr::Name(n) if n.id.as_str() == def.name) => c,
        other => {
            return Err(err(map, &other.map_or(a.range(), Ranged::range), usage));
        }
    };
    let args = &call.arguments;
    if args.args.len() > def.fields.len() {
        return Err(err(
            map,
            &args.args[def.fields.len()],
            format!(
                "{} has {} fields, but {} values are given by position",
                def.name,
                def.fields.len(),
                args.args.len()
            ),
        ));
    }
    let mut given: Vec<(usize, &Expr)> = args.args.iter().enumerate().collect();
    for kw in &args.keywords {
        let Some(arg) = &kw.arg else {
            return Err(err(map, kw, usage));
        };
        let Some(i) = def.fields.iter().position(|f| f.name == arg.as_str()) else {
            return Err(err(
                map,
                kw,
                format!(
                    "{} has no field '{arg}'; its fields are {}",
                    def.name,
                    def.field_names()
                ),
            ));
        };
        if given.iter().any(|(j, _)| *j == i) {
            return Err(err(
                map,
                kw,
                format!("{}() got multiple values for field '{arg}'", def.name),
            ));
        }
        given.push((i, &kw.value));
    }
    given.sort_by_key(|(i, _)| *i);
    given
        .into_iter()
        .map(|(i, value)| {
            let field = &def.fields[i];
            let what = format!("field '{}' of struct state '{name}'", field.name);
            let v = eval_literal(value, Env::new(cx, &scope.constants)).map_err(|Unsupported| {
                let msg =
                    literal_problem(value, Env::new(cx, &scope.constants)).unwrap_or_else(|| {
                        format!("{what} must be a constant (a literal or a module-level constant)")
                    });
                err(map, value, msg)
            })?;
            let c = as_type(cx, &v, field.ty, true)
                .map_err(|m| err(map, value, format!("{what}: {m}")))?
                .ok_or_else(|| {
                    err(
                        map,
                        value,
                        format!(
                            "{what} is {} but the value is {}",
                            super::a_ty(field.ty),
                            super::a_ty(v.ty())
                        ),
                    )
                })?;
            Ok((field.name.clone(), c))
        })
        .collect()
}

/// A literal as a constant of `ty`: through its type handler's hooks for a
/// scalar type (`Err`: the hook's message), Python's literal coercion
/// otherwise (`None`: no conversion).
fn as_type(
    cx: &CompilationContext,
    v: &ConstValue,
    ty: Ty,
    state: bool,
) -> Result<Option<ConstValue>, String> {
    if v.ty() == ty {
        return Ok(Some(v.clone()));
    }
    match cx.type_handler(ty) {
        Some(h) if matches!(ty, Ty::Scalar(_)) => h.literal(v, state),
        _ => Ok(v.coerce(ty)),
    }
}

/// Calls `f` on every statement, recursively through compound statements.
pub fn walk_stmts(body: &[Stmt], f: &mut dyn FnMut(&Stmt)) {
    for s in body {
        f(s);
        match s {
            Stmt::If(i) => {
                walk_stmts(&i.body, f);
                for c in &i.elif_else_clauses {
                    walk_stmts(&c.body, f);
                }
            }
            Stmt::While(w) => {
                walk_stmts(&w.body, f);
                walk_stmts(&w.orelse, f);
            }
            Stmt::For(l) => {
                walk_stmts(&l.body, f);
                walk_stmts(&l.orelse, f);
            }
            Stmt::Match(m) => {
                for c in &m.cases {
                    walk_stmts(&c.body, f);
                }
            }
            // `with start():` / `with stop():` blocks (codegen::phase_block).
            Stmt::With(w) => walk_stmts(&w.body, f),
            _ => {}
        }
    }
}
