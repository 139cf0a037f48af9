//! Builds the cfunc-level module: one `func.func` per lifecycle phase and
//! the `cfunc.lifecycle` op that names them.
//!
//! ```text
//! cfunc.lifecycle {node = "ema", start = @ema.start, execute = @ema.execute, stop = @ema.stop}
//! func.func private @ema.start(ABI...)   // state cells ← declared initial values
//! func.func private @ema.execute(ABI...) // the body
//! func.func private @ema.stop(ABI...)    // stop-time work
//! ```
//! Python locals are `llvm.alloca` slots in the entry block, zero-filled, so
//! no path reads an undefined value; LLVM's SROA turns them into SSA values.

use super::signature::{ModuleScope, NodeSignature};
use crate::abi::param;
use crate::diagnostics::{CompileError, Error, Pos, Result, SourceMap};
use crate::dialect::builder::Builder;
use crate::dialect::ir::{Block, ContextRef, Location, Operation, Region, Type, Value};
use crate::dialect::types::ToMlir;
use crate::registry::{AbiType, CompilationContext};
use crate::types::{CTy, ConstValue, Ty};
use melior::ir::Module;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use std::collections::{HashMap, HashSet};

/// The ABI parameters of the node, in order, from the registered categories.
pub fn abi_params(cx: &CompilationContext) -> Vec<(String, AbiType)> {
    cx.categories()
        .iter()
        .flat_map(|c| c.params.iter().cloned())
        .collect()
}

/// Generates the module. Local variable types are inferred by generation
/// itself: when a variable turns out wider than first seen (int, later
/// float), generation restarts with the wider type.
pub fn generate<'c>(
    cx: &'c CompilationContext,
    map: &SourceMap,
    f: &ast::StmtFunctionDef,
    scope: &ModuleScope,
    sig: &NodeSignature,
) -> Result<Module<'c>> {
    let mut hints: HashMap<String, Ty> = HashMap::new();
    let assigned = assigned_names(&f.body);
    // `with start():` / `with stop():` blocks at the top of the body run in
    // START and STOP; the rest is the tick.
    let (mut tick, mut starts, mut stops) = (Vec::new(), Vec::new(), Vec::new());
    for s in f.body.iter() {
        match phase_block(s) {
            Some((Phase::Start, w)) => starts.extend(w.body.iter().cloned()),
            Some((Phase::Stop, w)) => stops.extend(w.body.iter().cloned()),
            None => tick.push(s.clone()),
        }
    }
    let phases = [!starts.is_empty(), !stops.is_empty()];
    for _ in 0..16 {
        let module = Module::new(melior::ir::Location::unknown(cx.mlir()));
        let mut g = FnGen::new(cx, map, scope, sig, &module, &hints, &assigned, phases)?;
        let outcome = g.run(&tick, &starts, &stops);
        let widened = g.widened;
        let learned = g.local_types.clone();
        let mut errors = std::mem::take(&mut g.errors);
        match outcome {
            Ok(()) if !widened => return Ok(module),
            Ok(()) => {}
            Err(e) => {
                // An error can be an artefact of a type learned later in the
                // body; retry while generation is still learning types.
                let grew = learned.iter().any(|(k, v)| hints.get(k) != Some(v));
                if !grew && !widened {
                    if errors.is_empty() {
                        errors.push(e);
                    }
                    return Err(Error::from_diagnostics(errors));
                }
            }
        }
        for (k, v) in learned {
            hints
                .entry(k)
                .and_modify(|t| *t = Ty::unify(*t, v))
                .or_insert(v);
        }
    }
    Err(Error::Internal(
        "type inference of local variables did not settle".into(),
    ))
}

/// At most this many errors are reported from one body.
pub const MAX_ERRORS: usize = 20;

/// The lifecycle phase of a `with start():` / `with stop():` block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    Start,
    Stop,
}

/// A top-level `with start():` or `with stop():` block of the node body
/// (csp's spelling `with csp.start():` too): its statements run in START,
/// after every state has its declared initial value, or in STOP, before the
/// containers are freed. This is how the seed's `start_body`/`stop_body`
/// reach cfuncc.
pub(super) fn phase_block(s: &Stmt) -> Option<(Phase, &ast::StmtWith)> {
    let Stmt::With(w) = s else { return None };
    let [item] = w.items.as_slice() else {
        return None;
    };
    let Expr::Call(c) = &item.context_expr else {
        return None;
    };
    if item.optional_vars.is_some()
        || !c.arguments.args.is_empty()
        || !c.arguments.keywords.is_empty()
    {
        return None;
    }
    let name = match c.func.as_ref() {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::Name(m) if m.id.as_str() == "csp") => {
            a.attr.id.as_str()
        }
        _ => return None,
    };
    match name {
        "start" => Some((Phase::Start, w)),
        "stop" => Some((Phase::Stop, w)),
        _ => None,
    }
}

/// The first `return` in `body`, at any depth (START and STOP have no
/// outputs to return).
fn find_return(body: &[Stmt]) -> Option<&ast::StmtReturn> {
    body.iter().find_map(|s| match s {
        Stmt::Return(r) => Some(r),
        Stmt::If(i) => find_return(&i.body).or_else(|| {
            i.elif_else_clauses
                .iter()
                .find_map(|c| find_return(&c.body))
        }),
        Stmt::For(f) => find_return(&f.body).or_else(|| find_return(&f.orelse)),
        Stmt::While(w) => find_return(&w.body).or_else(|| find_return(&w.orelse)),
        Stmt::Match(m) => m.cases.iter().find_map(|c| find_return(&c.body)),
        Stmt::With(w) => find_return(&w.body),
        _ => None,
    })
}

/// Where a `with start():` / `with stop():` block is lowered: the phase
/// function's ABI arguments, the anchor for local slots in its entry block,
/// its region, the block the statements start in, and the block they end
/// in (START's return; STOP's release of the containers).
struct PhaseTarget<'c> {
    abi: HashMap<String, Value<'c>>,
    entry_anchor: Operation<'c>,
    region: Region<'c>,
    body: Block<'c>,
    exit: Block<'c>,
}

/// The message of an error that is only the consequence of an earlier one
/// (a read of a name whose assignment failed); it is never reported.
pub(super) const POISONED: &str = "\0poisoned";

/// Every name a statement may bind, for poisoning after it fails: what
/// [`assigned_names`] finds, plus what forms the frontend rejects would
/// bind (`global`/`nonlocal` names, the bodies of `try` and `with`, a
/// nested `def` or `class`).
fn bound_names(s: &Stmt) -> HashSet<String> {
    let mut out = assigned_names(std::slice::from_ref(s));
    super::signature::walk_stmts(std::slice::from_ref(s), &mut |s| match s {
        Stmt::Global(g) => out.extend(g.names.iter().map(|n| n.id.to_string())),
        Stmt::Nonlocal(g) => out.extend(g.names.iter().map(|n| n.id.to_string())),
        Stmt::FunctionDef(d) => {
            out.insert(d.name.id.to_string());
        }
        Stmt::ClassDef(d) => {
            out.insert(d.name.id.to_string());
        }
        Stmt::Try(t) => {
            let mut inner: Vec<Stmt> = t.body.iter().cloned().collect();
            for h in &t.handlers {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                if let Some(n) = &h.name {
                    out.insert(n.id.to_string());
                }
                inner.extend(h.body.iter().cloned());
            }
            inner.extend(t.orelse.iter().cloned());
            inner.extend(t.finalbody.iter().cloned());
            inner.iter().for_each(|s| out.extend(bound_names(s)));
        }
        Stmt::With(w) => {
            for item in &w.items {
                if let Some(v) = &item.optional_vars {
                    if let Expr::Name(n) = v.as_ref() {
                        out.insert(n.id.to_string());
                    }
                }
            }
            w.body.iter().for_each(|s| out.extend(bound_names(s)));
        }
        _ => {}
    });
    out
}

/// Every name bound by assignment in the body (locals, in Python's sense).
pub(super) fn assigned_names(body: &[Stmt]) -> HashSet<String> {
    fn targets(e: &Expr, out: &mut HashSet<String>) {
        match e {
            Expr::Name(n) => {
                out.insert(n.id.to_string());
            }
            Expr::Tuple(t) => t.elts.iter().for_each(|e| targets(e, out)),
            _ => {}
        }
    }
    let mut out = HashSet::new();
    super::signature::walk_stmts(body, &mut |s| match s {
        Stmt::Assign(a) => a.targets.iter().for_each(|t| targets(t, &mut out)),
        Stmt::AugAssign(a) => targets(&a.target, &mut out),
        Stmt::AnnAssign(a) if !super::signature::is_state_annotation(&a.annotation) => {
            targets(&a.target, &mut out)
        }
        Stmt::For(l) => targets(&l.target, &mut out),
        Stmt::Match(m) => {
            for c in &m.cases {
                if let ast::Pattern::MatchAs(p) = &c.pattern {
                    if let Some(n) = &p.name {
                        out.insert(n.id.to_string());
                    }
                }
            }
        }
        _ => {}
    });
    out
}

/// A value and its Python type.
pub(super) type Typed<'c> = (Value<'c>, Ty);

/// One input of the node being generated.
#[derive(Clone, Copy)]
pub(super) struct InputSlot<'c> {
    /// Index in its category's arrays.
    pub index: usize,
    pub ty: Ty,
    /// `input_valid[index]`, read at the top of the tick, when the
    /// category has valid flags.
    pub valid: Option<Value<'c>>,
    /// The value, loaded at the top of the tick (zero while not valid).
    pub value: Value<'c>,
}

/// Break/continue targets of the innermost loop.
pub(super) struct LoopTargets<'c> {
    pub continue_to: Block<'c>,
    pub break_to: Block<'c>,
}

/// Lowers the node body into the execute function.
pub(super) struct FnGen<'c> {
    pub cx: &'c CompilationContext,
    pub map: &'c SourceMap,
    pub scope: &'c ModuleScope,
    pub sig: &'c NodeSignature,
    pub ctx: ContextRef<'c>,
    /// ABI arguments of the function being generated, by name.
    pub abi: HashMap<String, Value<'c>>,
    /// The entry block, holding only local slots and a branch.
    pub entry_anchor: Operation<'c>,
    /// The block being appended to; `None` after a terminator.
    pub cur: Option<Block<'c>>,
    pub region: Region<'c>,
    /// The node's inputs, by name.
    pub inputs: HashMap<String, InputSlot<'c>>,
    /// For an input the body assigns to (a local from then on): an `i1`
    /// slot that says whether it holds a value (valid at the top of the
    /// tick, or assigned since).
    pub input_bound: HashMap<String, Value<'c>>,
    /// Local slots and their types.
    pub locals: HashMap<String, (Value<'c>, Ty)>,
    /// Types of locals, learned across generation attempts.
    pub local_types: HashMap<String, Ty>,
    pub hints: &'c HashMap<String, Ty>,
    pub assigned: &'c HashSet<String>,
    pub imports: HashMap<String, String>,
    pub loops: Vec<LoopTargets<'c>>,
    pub exit: Block<'c>,
    /// Container state handles, loaded and checked at the top of EXECUTE.
    pub cstate: HashMap<String, (Value<'c>, CTy)>,
    /// Constant container parameters, materialised at the top of EXECUTE.
    pub cconst: HashMap<String, (Value<'c>, CTy)>,
    /// Local container variables: slot (a `ptr` alloca), type, read-only.
    pub clocals: HashMap<String, (Value<'c>, CTy, bool)>,
    /// The tick's arena of local containers, once one is created.
    pub arena: Option<Value<'c>>,
    /// Set when a local's type widened: generation must run again.
    pub widened: bool,
    /// Errors of top-level statements so far (see `top_stmts`).
    pub errors: Vec<CompileError>,
    /// Names bound by a statement that failed: a later read of one is a
    /// consequence of that error, not an error of its own.
    pub poisoned: HashSet<String>,
    pub loc: Location<'c>,
    filename: String,
    /// START's and STOP's targets, when the body has such blocks.
    phase_targets: [Option<PhaseTarget<'c>>; 2],
    /// The helper calls being inlined, innermost last (`helpers.rs`).
    pub inline_stack: Vec<super::helpers::InlineFrame<'c>>,
    /// The locals of inlined helpers (named `helper.local`).
    pub inlined_locals: HashSet<String>,
    /// How many times each helper was inlined so far.
    pub inline_sites: HashMap<String, usize>,
}

impl<'c> FnGen<'c> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        cx: &'c CompilationContext,
        map: &'c SourceMap,
        scope: &'c ModuleScope,
        sig: &'c NodeSignature,
        module: &'c Module,
        hints: &'c HashMap<String, Ty>,
        assigned: &'c HashSet<String>,
        phases: [bool; 2],
    ) -> Result<Self, CompileError> {
        let module_op = Operation::of_module(module);
        let ctx = module_op.context();
        let body = module_op
            .region(0)
            .first_block()
            .expect("a module has a body");
        let unknown = Location::unknown(ctx);
        let top = Builder::at_end(body, unknown);
        let name = sig.function.as_str();
        let (start, execute, stop) = (
            format!("{name}.start"),
            format!("{name}.execute"),
            format!("{name}.stop"),
        );
        top.cfunc_lifecycle(name, &start, &execute, &stop);
        // Where cfunc-lower-faults writes each fault, besides the global
        // record: the instance's own cell.
        let slot = top.i64_attr(sig.fault_slot() as i64);
        module_op.set_discardable_attr(crate::dialect::FAULT_SLOT_ATTR, slot);

        let params = abi_params(cx);
        // START: write each state's declared initial value.
        let (start_entry, start_args) = phase_function(&top, &start, &params);
        // A container slot gets a new empty container. One left by an
        // earlier START is freed first; `cfunc.free` leaves alone what
        // START did not allocate (NULL, or a host's zeroed cell: the
        // runtime's tag tells them apart).
        let b = Builder::at_end(start_entry, unknown);
        for s in &sig.state {
            let b = b.with_loc(located(ctx, map, s.at));
            if s.name == super::signature::FAULT_STATE {
                // The fault cell is the host's to zero (it may be NULL).
                continue;
            }
            if let Some(a) = s.array {
                // Array state is host memory, zero-filled at START.
                let h =
                    b.cfunc_state_load(start_args[param::STATE], s.slot, CTy::Array(a).mlir(&b));
                b.cfunc_array_clear(h);
            } else if let Some(cty) = s.container {
                let old = b.cfunc_state_load(start_args[param::STATE], s.slot, cty.mlir(&b));
                b.cfunc_free(old);
                let new = b.cfunc_container_new(cty, None);
                b.cfunc_state_store(start_args[param::STATE], s.slot, new);
            } else if let Ty::Struct(def) = s.ty {
                // Struct state is host memory; START zero-fills it and
                // writes the fields its initializer gives.
                let p = b.cfunc_state_load(start_args[param::STATE], s.slot, s.ty.mlir(&b));
                b.cfunc_struct_zero(p, def.size);
                for (field, c) in &s.struct_init {
                    let f = def.field(field).expect("the signature checked the field");
                    b.cfunc_struct_set(p, f, const_value(&b, c));
                }
            } else {
                let v = const_value(&b, &s.initial);
                b.cfunc_state_store(start_args[param::STATE], s.slot, v);
            }
        }
        for body in cx.phase_bodies().0 {
            run_phase_body(body, &b, &start_args, sig).map_err(|m| extension_error(map, m))?;
        }
        let start_target = if phases[0] {
            // The node's `with start():` statements come last.
            let region = start_entry.parent_region().expect("in a function");
            let body = region.append_block(&[], unknown);
            let exit = region.append_block(&[], unknown);
            b.br(body, &[]);
            Builder::at_end(exit, unknown).op("func.return", &[], &[], &[]);
            Some(PhaseTarget {
                abi: start_args.clone(),
                entry_anchor: start_entry.terminator().expect("the branch"),
                region,
                body,
                exit,
            })
        } else {
            b.op("func.return", &[], &[], &[]);
            None
        };
        // STOP: free container state and clear its slots (after the node's
        // `with stop():` statements, which may still read them).
        let (stop_entry, stop_args) = phase_function(&top, &stop, &params);
        let (stop_target, release) = if phases[1] {
            let region = stop_entry.parent_region().expect("in a function");
            let body = region.append_block(&[], unknown);
            let release = region.append_block(&[], unknown);
            Builder::at_end(stop_entry, unknown).br(body, &[]);
            let target = PhaseTarget {
                abi: stop_args.clone(),
                entry_anchor: stop_entry.terminator().expect("the branch"),
                region,
                body,
                exit: release,
            };
            (Some(target), release)
        } else {
            (None, stop_entry)
        };
        let b = Builder::at_end(release, unknown);
        for s in &sig.state {
            if let Some(cty) = s.container {
                let b = b.with_loc(located(ctx, map, s.at));
                let h = b.cfunc_state_load(stop_args[param::STATE], s.slot, cty.mlir(&b));
                b.cfunc_free(h);
                let null = super::containers::null_handle(&b, cty);
                b.cfunc_state_store(stop_args[param::STATE], s.slot, null);
            }
        }
        for body in cx.phase_bodies().1 {
            run_phase_body(body, &b, &stop_args, sig).map_err(|m| extension_error(map, m))?;
        }
        b.op("func.return", &[], &[], &[]);

        let (entry, abi) = phase_function(&top, &execute, &params);
        let region = entry.parent_region().expect("in a function");
        let body_block = region.append_block(&[], unknown);
        let exit = region.append_block(&[], unknown);
        let eb = Builder::at_end(entry, unknown);
        eb.br(body_block, &[]);
        let entry_anchor = entry.terminator().expect("the branch");
        Builder::at_end(exit, unknown).op("func.return", &[], &[], &[]);

        let mut g = FnGen {
            cx,
            map,
            scope,
            sig,
            ctx,
            abi,
            entry_anchor,
            cur: Some(body_block),
            region,
            inputs: HashMap::new(),
            input_bound: HashMap::new(),
            locals: HashMap::new(),
            local_types: HashMap::new(),
            hints,
            assigned,
            imports: scope.imports.clone(),
            loops: Vec::new(),
            exit,
            cstate: HashMap::new(),
            cconst: HashMap::new(),
            clocals: HashMap::new(),
            arena: None,
            widened: false,
            errors: Vec::new(),
            poisoned: HashSet::new(),
            loc: unknown,
            filename: map.filename.clone(),
            phase_targets: [start_target, stop_target],
            inline_stack: Vec::new(),
            inlined_locals: HashSet::new(),
            inline_sites: HashMap::new(),
        };
        // Container state: loaded once; EXECUTE before START (or after
        // STOP) finds no live container (NULL, or a host's zeroed cell) and
        // faults, at the first declaration in source order (slots are
        // ordered by size, then name).
        g.load_containers();
        // Inputs are read once, at the top of the tick. A host may pass
        // NULL in `inputs[i]` while the input is not valid (design.md §2),
        // so an input with a valid flag is loaded only while valid
        // (`cfunc.guarded_input`, zero otherwise), and the body checks the
        // flag where it reads the value (fault 14). A struct input's value
        // is the pointer itself; its fields are read after the check.
        for input in &sig.inputs {
            let arrays = cx
                .category(&input.category)
                .and_then(|c| c.inputs.as_ref())
                .expect("the signature checked the input's category");
            let b = g.b();
            let ty = input.ty.mlir(&b);
            let values = g.abi[&arrays.values];
            let valid = arrays
                .valid
                .as_ref()
                .map(|flags| b.cfunc_input_valid(g.abi[flags], input.index));
            let value = match valid {
                Some(valid) if input.ty.as_struct().is_none() => {
                    b.cfunc_guarded_input(values, valid, input.index, ty)
                }
                _ => b.cfunc_input_value(values, input.index, ty),
            };
            let slot = InputSlot {
                index: input.index,
                ty: input.ty,
                valid,
                value,
            };
            g.inputs.insert(input.name.clone(), slot);
        }
        Ok(g)
    }

    /// Container state, loaded once at the top of the function being
    /// generated; one not live (NULL, or a host's zeroed cell: EXECUTE
    /// before START, or after STOP) faults, at its first declaration in
    /// source order. Constant containers are materialised there too.
    fn load_containers(&mut self) {
        self.load_containers_then(true);
    }

    /// As [`FnGen::load_containers`]; with `check` false a container that
    /// is not live does not fault (the caller has branched around it).
    fn load_containers_then(&mut self, check: bool) {
        let mut by_position: Vec<_> = self.sig.state.iter().collect();
        by_position.sort_by_key(|s| s.at);
        for s in by_position {
            if let Some(cty) = s.container {
                let b = self.b().with_loc(located(self.ctx, self.map, s.at));
                let h = b.cfunc_state_load(self.abi[param::STATE], s.slot, cty.mlir(&b));
                if check {
                    let live = b.cfunc_is_live(h);
                    let dead = b.not(live);
                    b.cfunc_check(dead, crate::dialect::FaultCode::ContainerNotStarted);
                }
                self.cstate.insert(s.name.clone(), (h, cty));
            }
            if let Some(a) = s.array {
                // Host memory behind state[i]: nothing to check.
                let cty = CTy::Array(a);
                let b = self.b().with_loc(located(self.ctx, self.map, s.at));
                let h = b.cfunc_state_load(self.abi[param::STATE], s.slot, cty.mlir(&b));
                self.cstate.insert(s.name.clone(), (h, cty));
            }
        }
        for (name, cty, value) in &self.sig.const_containers {
            let b = self.b();
            let h = FnGen::const_container(&b, *cty, value);
            self.cconst.insert(name.clone(), (h, *cty));
        }
    }

    /// Lowers a `with start():` or `with stop():` block's statements into
    /// START or STOP: the same statements as the tick, with no inputs to
    /// read and no outputs to return; its locals are its own.
    fn run_phase(&mut self, phase: Phase, body: &[Stmt]) {
        if body.is_empty() {
            return;
        }
        if let Some(r) = find_return(body) {
            let what = if phase == Phase::Start {
                "start"
            } else {
                "stop"
            };
            self.errors.push(self.err(
                r,
                format!("'return' in a `with {what}():` block: START and STOP produce no outputs; end the block instead"),
            ));
            return;
        }
        let i = if phase == Phase::Start { 0 } else { 1 };
        let Some(t) = self.phase_targets[i].take() else {
            return;
        };
        let saved_abi = std::mem::replace(&mut self.abi, t.abi.clone());
        let saved = (
            std::mem::replace(&mut self.entry_anchor, t.entry_anchor),
            std::mem::replace(&mut self.cur, Some(t.body)),
            std::mem::replace(&mut self.region, t.region),
            std::mem::replace(&mut self.exit, t.exit),
            std::mem::take(&mut self.inputs),
            std::mem::take(&mut self.input_bound),
            std::mem::take(&mut self.locals),
            std::mem::take(&mut self.cstate),
            std::mem::take(&mut self.cconst),
            std::mem::take(&mut self.clocals),
            self.arena.take(),
            std::mem::take(&mut self.loops),
        );
        if phase == Phase::Stop {
            // STOP's block runs only while the node is started: with
            // container state, STOP without START (or a second STOP) skips
            // it rather than fault, as STOP itself never faults.
            let b = self.b();
            let mut live = None;
            for s in self.sig.state.iter().filter(|s| s.container.is_some()) {
                let cty = s.container.expect("filtered");
                let h = b.cfunc_state_load(self.abi[param::STATE], s.slot, cty.mlir(&b));
                let l = b.cfunc_is_live(h);
                live = Some(match live {
                    None => l,
                    Some(acc) => b.bin("arith.andi", acc, l),
                });
            }
            if let Some(live) = live {
                let go = self.new_block();
                b.cond_br(live, go, self.exit);
                self.cur = Some(go);
            }
            self.load_containers_then(false);
        } else {
            self.load_containers();
        }
        let _ = self.top_stmts(body);
        if let Some(cur) = self.cur {
            Builder::at_end(cur, self.loc).br(self.exit, &[]);
        }
        self.abi = saved_abi;
        (
            self.entry_anchor,
            self.cur,
            self.region,
            self.exit,
            self.inputs,
            self.input_bound,
            self.locals,
            self.cstate,
            self.cconst,
            self.clocals,
            self.arena,
            self.loops,
        ) = saved;
    }

    fn run(&mut self, body: &[Stmt], starts: &[Stmt], stops: &[Stmt]) -> Result<(), CompileError> {
        // A parameter that the body assigns to becomes a local initialised
        // from the parameter, in signature order (not the map's, which
        // changes from run to run and would change the semantic key).
        let mut inputs: Vec<(&String, &InputSlot)> = self
            .inputs
            .iter()
            .filter(|(n, _)| self.assigned.contains(*n))
            .collect();
        inputs.sort_by_key(|(_, i)| i.index);
        let shadowed: Vec<(String, Value<'c>, Ty)> = inputs
            .into_iter()
            .map(|(n, i)| (n.clone(), i.value, i.ty))
            .chain(
                self.sig
                    .constants
                    .iter()
                    .filter(|(n, _)| self.assigned.contains(n))
                    .map(|(n, c)| {
                        let v = const_value(&self.b(), c);
                        (n.clone(), v, c.ty())
                    }),
            )
            .collect();
        for (name, v, ty) in shadowed {
            self.assign_local(&name, v, ty, TextRange::default())?;
            if let Some(valid) = self.inputs.get(&name).and_then(|i| i.valid) {
                let bound = self.local_slot(Ty::Bool);
                self.b().op("llvm.store", &[valid, bound], &[], &[]);
                self.input_bound.insert(name, bound);
            }
        }
        let tick = self.top_stmts(body);
        if let Some(cur) = self.cur {
            Builder::at_end(cur, self.loc).br(self.exit, &[]);
        }
        self.cur = None;
        self.run_phase(Phase::Start, starts);
        self.run_phase(Phase::Stop, stops);
        // Reported in source order, whichever function each came from.
        self.errors.sort_by_key(|e| (e.pos.line, e.pos.col));
        tick?;
        match self.errors.first() {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// Lowers the body's top-level statements. An error in one is recorded
    /// and lowering goes on with the next statement, so a compile reports
    /// every independent error (up to [`MAX_ERRORS`]); the names the failed
    /// statement binds are poisoned, so their later reads, which fail only
    /// because of it, are not reported. The IR of a body with errors is
    /// never used. Returns the first error when there was one; the rest are
    /// in `self.errors`.
    fn top_stmts(&mut self, body: &[Stmt]) -> Result<(), CompileError> {
        for s in body {
            if self.cur.is_none() {
                break;
            }
            let loops = self.loops.len();
            if let Err(e) = self.stmts(std::slice::from_ref(s)) {
                if e.message != POISONED {
                    self.errors.push(e);
                }
                self.poisoned.extend(bound_names(s));
                // Carry on in a fresh block: the failed statement may have
                // left the current one terminated or inside a construct.
                self.loops.truncate(loops);
                self.cur = Some(self.new_block());
                if self.errors.len() >= MAX_ERRORS {
                    break;
                }
            }
        }
        match self.errors.first() {
            Some(e) => Err(e.clone()),
            None if !self.poisoned.is_empty() => {
                // Only consequences were seen (cannot happen: a poisoned
                // name needs an earlier error), kept defensive.
                Err(CompileError {
                    file: self.map.filename.clone(),
                    pos: Default::default(),
                    message: "errors in the body".into(),
                    source_line: None,
                })
            }
            None => Ok(()),
        }
    }

    // ---- helpers shared by statements.rs and expressions.rs ----------------

    /// A builder at the end of the current block.
    pub fn b(&self) -> Builder<'c> {
        let block = self.cur.expect("emission into a terminated block");
        Builder::at_end(block, self.loc)
    }

    /// Sets the current location to `node`'s start.
    pub fn set_loc(&mut self, node: &impl Ranged) {
        self.loc = self.location(node.start().to_usize());
    }

    /// An MLIR location for a byte offset of the source.
    pub fn location(&self, offset: usize) -> Location<'c> {
        let Pos { line, col } = self.map.pos(offset);
        Location::new(self.ctx, &self.filename, line, col)
    }

    /// A located compile error.
    pub fn err(&self, node: &impl Ranged, msg: impl Into<String>) -> CompileError {
        CompileError::at(self.map, node.start().to_usize(), msg)
    }

    /// A new block appended to the function.
    pub fn new_block(&self) -> Block<'c> {
        self.region.insert_block_before(self.exit, &[], self.loc)
    }

    /// A new block with one argument of type `ty`.
    pub fn new_block_with_arg(&self, ty: Type<'c>) -> Block<'c> {
        self.region.insert_block_before(self.exit, &[ty], self.loc)
    }

    /// Branches from the current block (if live) to `dest`.
    pub fn br_to(&mut self, dest: Block<'c>) {
        if let Some(cur) = self.cur {
            Builder::at_end(cur, self.loc).br(dest, &[]);
        }
        self.cur = None;
    }

    /// A builder inserting in the entry block, before its branch (where
    /// local slots go).
    pub fn entry_builder(&self) -> Builder<'c> {
        Builder::before(self.entry_anchor).with_loc(self.loc)
    }

    /// A zero-filled local slot in the entry block.
    fn local_slot(&self, ty: Ty) -> Value<'c> {
        let b = self.entry_builder();
        let one = b.const_int(b.i32(), 1);
        let mty = ty.mlir(&b);
        let slot = b.v(
            "llvm.alloca",
            &[one],
            b.ptr(),
            &[("elem_type", b.type_attr(mty))],
        );
        let zero = zero_of(&b, ty);
        b.op("llvm.store", &[zero, slot], &[], &[]);
        slot
    }

    /// Stores into a local, creating or widening it as needed.
    pub fn assign_local(
        &mut self,
        name: &str,
        v: Value<'c>,
        ty: Ty,
        at: TextRange,
    ) -> Result<(), CompileError> {
        let known = self
            .locals
            .get(name)
            .map(|l| l.1)
            .or_else(|| self.hints.get(name).copied());
        let slot_ty = match known {
            Some(t) => {
                let joined = Ty::unify(t, ty);
                if joined != t {
                    self.widened = true;
                }
                joined
            }
            None => ty,
        };
        self.local_types.insert(name.to_string(), slot_ty);
        let slot = match self.locals.get(name) {
            Some((s, t)) if *t == slot_ty => *s,
            _ => {
                let s = self.local_slot(slot_ty);
                self.locals.insert(name.to_string(), (s, slot_ty));
                s
            }
        };
        let v = self.convert(v, ty, slot_ty, at)?;
        let b = self.b();
        b.op("llvm.store", &[v, slot], &[], &[]);
        if let Some(bound) = self.input_bound.get(name) {
            let t = b.const_bool(true);
            b.op("llvm.store", &[t, *bound], &[], &[]);
        }
        Ok(())
    }

    /// Faults (code 14) unless input `name` holds a value: it was valid at
    /// the top of the tick, or (once the body assigns to it) was assigned.
    pub fn check_input_read(&self, name: &str) {
        let b = self.b();
        let valid = self.inputs.get(name).and_then(|i| i.valid);
        let holds = match (self.input_bound.get(name), valid) {
            (Some(bound), _) => b.v("llvm.load", &[*bound], b.i1(), &[]),
            (None, Some(valid)) => valid,
            (None, None) => return,
        };
        b.cfunc_check(b.not(holds), crate::dialect::FaultCode::InputNotValid);
    }

    /// The value of input `name` where the body reads it, checked valid.
    pub fn read_input(&self, input: &InputSlot<'c>, name: &str) -> Value<'c> {
        self.check_input_read(name);
        input.value
    }

    /// Declares a local's type ahead of assignment (`x: float = ...`).
    pub fn declare_local(&mut self, name: &str, ty: Ty) {
        if !self.locals.contains_key(name) {
            let s = self.local_slot(ty);
            self.locals.insert(name.to_string(), (s, ty));
            self.local_types.insert(name.to_string(), ty);
        }
    }

    /// Converts a value between types as assignment and arithmetic do:
    /// bool → int → float. Narrowing is an error.
    pub fn convert(
        &self,
        v: Value<'c>,
        from: Ty,
        to: Ty,
        at: TextRange,
    ) -> Result<Value<'c>, ConvertError> {
        let b = self.b();
        Ok(match (from, to) {
            (f, t) if f == t => v,
            (Ty::Bool, Ty::Int) => b.cast("arith.extui", v, b.i64()),
            (Ty::Bool, Ty::Float) => b.cast("arith.uitofp", v, b.f64()),
            (Ty::Int, Ty::Float) => b.cast("arith.sitofp", v, b.f64()),
            // A type handler's conversion of other values (`Price = 3`).
            (f, t @ Ty::Scalar(_))
                if self
                    .cx
                    .type_handler(t)
                    .is_some_and(|h| h.lower_assign.is_some()) =>
            {
                let hook = self.cx.type_handler(t).and_then(|h| h.lower_assign.clone());
                let hook = hook.expect("checked above");
                crate::registry::run_hook(|| hook(&b, v, f)).map_err(|m| {
                    ConvertError::Refused(self.err(
                        &at,
                        format!(
                            "cannot make {} of {} value: {m}",
                            super::a_ty(t),
                            super::a_ty(f)
                        ),
                    ))
                })?
            }
            (f, t) => {
                return Err(ConvertError::Mismatch(self.err(
                    &at,
                    format!(
                        "cannot use {} value where {} is expected; {}",
                        super::a_ty(f),
                        super::a_ty(t),
                        super::convert_hint(self.cx, f, t)
                    ),
                )));
            }
        })
    }
}

/// Why [`FnGen::convert`] could not convert a value.
pub(super) enum ConvertError {
    /// The target type's `lower_assign` hook refused (or panicked): its
    /// reason stands, whatever the caller would have said.
    Refused(CompileError),
    /// No conversion between the types; the generic message, which a
    /// caller may reword for its position ([`ConvertError::reword`]).
    Mismatch(CompileError),
}

impl ConvertError {
    /// The error at a caller with its own wording for a mismatch.
    pub(super) fn reword(self, mismatch: impl FnOnce() -> CompileError) -> CompileError {
        match self {
            ConvertError::Refused(e) => e,
            ConvertError::Mismatch(_) => mismatch(),
        }
    }
}

impl From<ConvertError> for CompileError {
    fn from(e: ConvertError) -> Self {
        match e {
            ConvertError::Refused(e) | ConvertError::Mismatch(e) => e,
        }
    }
}

/// Runs an extension's START/STOP hook; a panic in it becomes an error.
fn run_phase_body<'c>(
    body: &crate::registry::PhaseBody,
    b: &Builder<'c>,
    abi: &HashMap<String, Value<'c>>,
    sig: &NodeSignature,
) -> Result<(), String> {
    crate::registry::run_hook(|| body(b, abi, sig))
}

/// An error reported by an extension's START/STOP hook, at the node's
/// start.
fn extension_error(map: &SourceMap, msg: String) -> CompileError {
    CompileError::at(map, 0, format!("a START/STOP extension failed: {msg}"))
}

/// An MLIR location for a byte offset of the source.
fn located<'c>(ctx: ContextRef<'c>, map: &SourceMap, offset: usize) -> Location<'c> {
    let Pos { line, col } = map.pos(offset);
    Location::new(ctx, &map.filename, line, col)
}

/// Creates `func.func private @name(ABI...)` at the end of `top`'s block and
/// returns its entry block and arguments by name.
fn phase_function<'c>(
    top: &Builder<'c>,
    name: &str,
    params: &[(String, AbiType)],
) -> (Block<'c>, HashMap<String, Value<'c>>) {
    let types: Vec<Type<'c>> = params
        .iter()
        .map(|(_, t)| {
            if *t == AbiType::I8 {
                top.i8()
            } else {
                top.ptr()
            }
        })
        .collect();
    let fty = Type::function(top.context(), &types, &[]);
    let arg_names: Vec<String> = params
        .iter()
        .map(|(n, _)| format!("{{llvm.name = \"{n}\"}}"))
        .collect();
    let arg_attrs = top.parse_attr(&format!("[{}]", arg_names.join(", ")));
    let f = top.op_full(
        "func.func",
        &[],
        &[],
        &[
            ("sym_name", top.str_attr(name)),
            ("function_type", top.type_attr(fty)),
            ("sym_visibility", top.str_attr("private")),
            ("arg_attrs", arg_attrs),
        ],
        &[],
        1,
    );
    let entry = f.region(0).append_block(&types, top.location());
    let args = params
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.clone(), entry.argument(i)))
        .collect();
    (entry, args)
}

/// Materialises a scalar constant. Container constants are materialised by
/// `FnGen::const_container` (they need their declared type); callers check
/// `is_container` first, and one reaching here reads as 0.
pub fn const_value<'c>(b: &Builder<'c>, c: &ConstValue) -> Value<'c> {
    match c {
        ConstValue::Int(i) => b.const_i64(*i),
        ConstValue::Float(f) => b.const_f64(*f),
        ConstValue::Bool(v) => b.const_bool(*v),
        ConstValue::Scalar(_, v) => const_value(b, v),
        ConstValue::List(_) | ConstValue::Dict(_) => {
            debug_assert!(false, "container constant materialised as a scalar");
            b.const_i64(0)
        }
    }
}

/// The zero of a type (0, 0.0, false, its payload's zero; NULL for a
/// struct, whose value is an address).
fn zero_of<'c>(b: &Builder<'c>, ty: Ty) -> Value<'c> {
    match ty.payload() {
        Ty::Float => b.const_f64(0.0),
        Ty::Struct(_) => b.v("llvm.mlir.zero", &[], b.ptr(), &[]),
        _ => b.const_int(ty.mlir(b), 0),
    }
}
