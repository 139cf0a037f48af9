//! Splits a very large function into parts before LLVM's optimiser runs, so
//! that compile time grows linearly with the node.
//!
//! A node of thousands of lines is one function of thousands of blocks, and
//! some of LLVM's `default<O2>` passes cost more than linear time in the size
//! of one function (ScalarEvolution's `forgetLoop` walks in LoopRotate and
//! IndVarSimplify, InstCombine's dominator walks in
//! `isGuaranteedNotToBeUndefOrPoison`, SROA over thousands of slots). Bounded
//! functions make each of them cost a bounded amount per part.
//!
//! The cut points are the function's *spine*: the dominator chain of the
//! deepest block that branches to the return block. In the frontend's IR
//! (a straight sequence of top-level statements, with `return` and faults
//! branching to one exit block) the spine passes through every top-level
//! statement boundary. A run of consecutive spine segments of at least
//! [`PART_SIZE`] instructions becomes a function of its own:
//!
//! ```text
//! caller:                                  f.partN(live-ins...) -> i32:
//!   ...                                      entry: copy the scalar slots in
//!   %r = call i32 @f.partN(live-ins...)      <the region's blocks>
//!   switch %r [0 -> next, 1 -> exit, ...]    exit k: copy the slots back, ret k
//! ```
//!
//! A region moves only when it is single-entry (every edge into it enters its
//! first block, which has no phi), no value defined in it is used outside,
//! and no edge leaving it lands on a phi; otherwise it grows by the next
//! segment. Values defined before it (the ABI pointers, the inputs read at
//! the top of the tick, the local slots) become parameters. A Python local's
//! slot (a scalar `alloca` used only by loads and stores) is copied into a
//! slot of the part on entry and back on every exit, so that SROA still
//! promotes it inside the part. The parts are `noinline` and internal.
//!
//! Only functions of more than [`SPLIT_ABOVE`] instructions are split: every
//! node of ordinary size compiles to exactly the code it did before. Not at
//! `-O0` (no superlinear pass runs), with `-g` (each instruction's scope is
//! its function's subprogram) or under `force_inline` (whose contract is one
//! function).

#![allow(non_upper_case_globals)] // LLVM's enum constants, as bindgen names them

use super::LlvmModule;
use mlir_sys::*;
use std::collections::HashMap;
use std::ffi::CString;

/// A function of more instructions than this is split.
pub const SPLIT_ABOVE: usize = 12_000;
/// The size a part grows to before it is cut (in instructions).
pub const PART_SIZE: usize = 3_000;
/// A region that cannot move by the time it is this large is left in place
/// and the search starts again after it.
const GIVE_UP: usize = 8 * PART_SIZE;

fn instructions(bb: LLVMBasicBlockRef) -> Vec<LLVMValueRef> {
    let mut out = Vec::new();
    unsafe {
        let mut i = LLVMGetFirstInstruction(bb);
        while !i.is_null() {
            out.push(i);
            i = LLVMGetNextInstruction(i);
        }
    }
    out
}

fn successors(bb: LLVMBasicBlockRef) -> Vec<LLVMBasicBlockRef> {
    unsafe {
        let t = LLVMGetBasicBlockTerminator(bb);
        if t.is_null() {
            return Vec::new();
        }
        (0..LLVMGetNumSuccessors(t))
            .map(|k| LLVMGetSuccessor(t, k))
            .collect()
    }
}

fn opcode(i: LLVMValueRef) -> LLVMOpcode {
    unsafe { LLVMGetInstructionOpcode(i) }
}

/// Whether `bb` ends in `ret`.
fn returns(bb: LLVMBasicBlockRef) -> bool {
    unsafe {
        let t = LLVMGetBasicBlockTerminator(bb);
        !t.is_null() && opcode(t) == LLVMOpcode_LLVMRet
    }
}

fn is_phi(i: LLVMValueRef) -> bool {
    unsafe { !LLVMIsAPHINode(i).is_null() }
}

fn users(v: LLVMValueRef) -> Vec<LLVMValueRef> {
    let mut out = Vec::new();
    unsafe {
        let mut u = LLVMGetFirstUse(v);
        while !u.is_null() {
            out.push(LLVMGetUser(u));
            u = LLVMGetNextUse(u);
        }
    }
    out
}

/// Splits every function of more than [`SPLIT_ABOVE`] instructions; returns
/// how many parts were made.
pub fn split_large_functions(m: &LlvmModule) -> usize {
    super::functions(m.raw() as LLVMModuleRef)
        .into_iter()
        .filter(|f| unsafe { LLVMIsDeclaration(*f) } == 0)
        .map(|f| Splitter::new(m, f).map_or(0, |mut s| s.run()))
        .sum()
}

/// The CFG of one function, its dominator tree and its spine.
struct Splitter<'m> {
    m: &'m LlvmModule,
    f: LLVMValueRef,
    /// Reachable blocks in reverse post-order; the entry first.
    blocks: Vec<LLVMBasicBlockRef>,
    preds: Vec<Vec<usize>>,
    size: Vec<usize>,
    /// The spine segment of each block (an index into `spine`).
    segment: Vec<usize>,
    spine: Vec<usize>,
    /// Scalar slots of the entry block used only by loads and stores.
    slots: HashMap<LLVMValueRef, LLVMTypeRef>,
    parts: usize,
}

impl<'m> Splitter<'m> {
    fn new(m: &'m LlvmModule, f: LLVMValueRef) -> Option<Self> {
        let mut total = 0;
        unsafe {
            let mut bb = LLVMGetFirstBasicBlock(f);
            while !bb.is_null() {
                total += instructions(bb).len();
                bb = LLVMGetNextBasicBlock(bb);
            }
        }
        if total <= SPLIT_ABOVE {
            return None;
        }
        let entry = unsafe { LLVMGetEntryBasicBlock(f) };
        // Reverse post-order by an explicit DFS.
        let mut post = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![(entry, successors(entry), 0usize)];
        seen.insert(entry);
        while let Some((bb, succs, k)) = stack.last_mut() {
            if *k < succs.len() {
                let s = succs[*k];
                *k += 1;
                if seen.insert(s) {
                    let ss = successors(s);
                    stack.push((s, ss, 0));
                }
            } else {
                post.push(*bb);
                stack.pop();
            }
        }
        post.reverse();
        let blocks = post;
        let index: HashMap<_, _> = blocks.iter().enumerate().map(|(k, b)| (*b, k)).collect();
        let mut preds = vec![Vec::new(); blocks.len()];
        for (k, b) in blocks.iter().enumerate() {
            for s in successors(*b) {
                preds[index[&s]].push(k);
            }
        }
        let size = blocks.iter().map(|b| instructions(*b).len()).collect();
        // Dominators (Cooper, Harvey and Kennedy), on RPO numbers.
        let n = blocks.len();
        let mut idom = vec![usize::MAX; n];
        idom[0] = 0;
        let mut changed = true;
        while changed {
            changed = false;
            for b in 1..n {
                let mut new = usize::MAX;
                for &p in &preds[b] {
                    if idom[p] == usize::MAX {
                        continue;
                    }
                    new = if new == usize::MAX {
                        p
                    } else {
                        let (mut x, mut y) = (p, new);
                        while x != y {
                            while x > y {
                                x = idom[x];
                            }
                            while y > x {
                                y = idom[y];
                            }
                        }
                        x
                    };
                }
                if new != idom[b] {
                    idom[b] = new;
                    changed = true;
                }
            }
        }
        let mut depth = vec![0usize; n];
        for b in 1..n {
            depth[b] = depth[idom[b]] + 1;
        }
        // The spine: the dominator chain of the deepest block that returns
        // or branches to a block that returns.
        let end = (0..n)
            .filter(|&b| returns(blocks[b]) || successors(blocks[b]).iter().any(|s| returns(*s)))
            .max_by_key(|&b| (depth[b], b))?;
        let mut spine = vec![end];
        while *spine.last().expect("not empty") != 0 {
            spine.push(idom[*spine.last().expect("not empty")]);
        }
        spine.reverse();
        let on_spine: HashMap<usize, usize> =
            spine.iter().enumerate().map(|(k, b)| (*b, k)).collect();
        // Each block's segment: its nearest dominator on the spine (RPO
        // visits a block's idom first).
        let mut segment = vec![0usize; n];
        for b in 0..n {
            segment[b] = match on_spine.get(&b) {
                Some(&k) => k,
                None => segment[idom[b]],
            };
        }
        let mut slots = HashMap::new();
        for i in instructions(entry) {
            unsafe {
                if LLVMIsAAllocaInst(i).is_null() {
                    continue;
                }
                let ty = LLVMGetAllocatedType(i);
                let scalar = matches!(
                    LLVMGetTypeKind(ty),
                    LLVMTypeKind_LLVMIntegerTypeKind
                        | LLVMTypeKind_LLVMDoubleTypeKind
                        | LLVMTypeKind_LLVMFloatTypeKind
                        | LLVMTypeKind_LLVMPointerTypeKind
                );
                let count = LLVMGetOperand(i, 0);
                let single =
                    LLVMIsAConstantInt(count).is_null() || LLVMConstIntGetZExtValue(count) == 1;
                let plain = users(i).into_iter().all(|u| match opcode(u) {
                    LLVMOpcode_LLVMLoad => LLVMGetVolatile(u) == 0,
                    LLVMOpcode_LLVMStore => LLVMGetOperand(u, 1) == i && LLVMGetVolatile(u) == 0,
                    _ => false,
                });
                if scalar && single && plain && !LLVMIsAConstantInt(count).is_null() {
                    slots.insert(i, ty);
                }
            }
        }
        Some(Self {
            m,
            f,
            blocks,
            preds,
            size,
            segment,
            spine,
            slots,
            parts: 0,
        })
    }

    /// Cuts parts along the spine; returns how many.
    fn run(&mut self) -> usize {
        let part_size = PART_SIZE;
        let segments = self.spine.len();
        let mut seg_size = vec![0usize; segments];
        for (b, s) in self.segment.iter().enumerate() {
            seg_size[*s] += self.size[b];
        }
        // Segment 0 holds the entry block (the slots) and stays.
        let mut i = 1;
        'regions: while i < segments {
            let mut j = i;
            let mut acc = seg_size[i];
            while acc < part_size && j + 1 < segments {
                j += 1;
                acc += seg_size[j];
            }
            if acc < part_size / 2 {
                break;
            }
            loop {
                match self.try_outline(i, j) {
                    Ok(()) => {
                        i = j + 1;
                        continue 'regions;
                    }
                    // A value of segment `s` is used after the region: start
                    // after it when it is defined early in the region (the
                    // tick's prologue), else take in its uses.
                    Err(Some(s)) if s < i + (j - i) / 2 => {
                        i = s + 1;
                        continue 'regions;
                    }
                    Err(_) => {}
                }
                if j + 1 >= segments || acc > GIVE_UP {
                    i = j + 1;
                    continue 'regions;
                }
                j += 1;
                acc += seg_size[j];
            }
        }
        self.parts
    }

    /// Moves the blocks of spine segments `i..=j` into a function of their
    /// own when they form a region that can move.
    fn try_outline(&mut self, i: usize, j: usize) -> Result<(), Option<usize>> {
        let in_region: Vec<bool> = (0..self.blocks.len())
            .map(|b| {
                let s = self.segment[b];
                s >= i && s <= j && !returns(self.blocks[b])
            })
            .collect();
        let header = self.spine[i];
        if !in_region[header] {
            return Err(None);
        }
        let region: Vec<usize> = (0..self.blocks.len()).filter(|b| in_region[*b]).collect();
        let mut block_set = std::collections::HashSet::new();
        for &b in &region {
            block_set.insert(self.blocks[b]);
        }
        // Single entry, through a header without phis.
        if instructions(self.blocks[header])
            .first()
            .is_some_and(|i| is_phi(*i))
        {
            return Err(None);
        }
        for &b in &region {
            if b != header && self.preds[b].iter().any(|p| !in_region[*p]) {
                return Err(None);
            }
        }
        // Exits: no phi at the target.
        let mut targets: Vec<LLVMBasicBlockRef> = Vec::new();
        for &b in &region {
            for s in successors(self.blocks[b]) {
                if !block_set.contains(&s) && !targets.contains(&s) {
                    if instructions(s).first().is_some_and(|i| is_phi(*i)) {
                        return Err(None);
                    }
                    targets.push(s);
                }
            }
        }
        if targets.is_empty() {
            return Err(None);
        }
        // No value escapes; collect the live-ins.
        let mut live_ins: Vec<LLVMValueRef> = Vec::new();
        let mut live_set = std::collections::HashSet::new();
        for &b in &region {
            for ins in instructions(self.blocks[b]) {
                match opcode(ins) {
                    LLVMOpcode_LLVMIndirectBr
                    | LLVMOpcode_LLVMInvoke
                    | LLVMOpcode_LLVMCallBr
                    | LLVMOpcode_LLVMLandingPad
                    | LLVMOpcode_LLVMRet => return Err(None),
                    _ => {}
                }
                for u in users(ins) {
                    let ub = unsafe { LLVMGetInstructionParent(u) };
                    if !block_set.contains(&ub) {
                        return Err(Some(self.segment[b]));
                    }
                }
                let n = unsafe { LLVMGetNumOperands(ins) };
                for k in 0..n {
                    let v = unsafe { LLVMGetOperand(ins, k as u32) };
                    if v.is_null() {
                        continue;
                    }
                    let outside = unsafe {
                        if !LLVMIsAArgument(v).is_null() {
                            true
                        } else if !LLVMIsAInstruction(v).is_null() {
                            !block_set.contains(&LLVMGetInstructionParent(v))
                        } else {
                            false
                        }
                    };
                    if outside && live_set.insert(v) {
                        live_ins.push(v);
                    }
                }
            }
        }
        self.outline(header, &region, &block_set, &live_ins, &targets);
        Ok(())
    }

    fn outline(
        &mut self,
        header: usize,
        region: &[usize],
        block_set: &std::collections::HashSet<LLVMBasicBlockRef>,
        live_ins: &[LLVMValueRef],
        targets: &[LLVMBasicBlockRef],
    ) {
        unsafe {
            let ctx = self.m.context() as LLVMContextRef;
            let module = self.m.raw() as LLVMModuleRef;
            let i32t = LLVMInt32TypeInContext(ctx);
            let mut params: Vec<LLVMTypeRef> = live_ins.iter().map(|v| LLVMTypeOf(*v)).collect();
            let fty = LLVMFunctionType(i32t, params.as_mut_ptr(), params.len() as u32, 0);
            self.parts += 1;
            let name = CString::new(format!("{}.part{}", super::name_of(self.f), self.parts))
                .expect("no NUL");
            let part = LLVMAddFunction(module, name.as_ptr(), fty);
            LLVMSetLinkage(part, LLVMLinkage_LLVMInternalLinkage);
            for attr in ["noinline", "nounwind"] {
                let kind = LLVMGetEnumAttributeKindForName(attr.as_ptr() as *const _, attr.len());
                LLVMAddAttributeAtIndex(part, u32::MAX, LLVMCreateEnumAttribute(ctx, kind, 0));
            }
            let builder = LLVMCreateBuilderInContext(ctx);
            let empty = c"".as_ptr();
            // The caller: a block that calls the part and switches on where
            // it left.
            let header_bb = self.blocks[header];
            let call_bb = LLVMInsertBasicBlockInContext(ctx, header_bb, empty);
            // Every branch into the header from outside (an earlier part's
            // switch included) now goes to the call.
            for t in users(LLVMBasicBlockAsValue(header_bb)) {
                if LLVMIsATerminatorInst(t).is_null()
                    || block_set.contains(&LLVMGetInstructionParent(t))
                {
                    continue;
                }
                for k in 0..LLVMGetNumSuccessors(t) {
                    if LLVMGetSuccessor(t, k) == header_bb {
                        LLVMSetSuccessor(t, k, call_bb);
                    }
                }
            }
            LLVMPositionBuilderAtEnd(builder, call_bb);
            let mut args = live_ins.to_vec();
            let r = LLVMBuildCall2(
                builder,
                fty,
                part,
                args.as_mut_ptr(),
                args.len() as u32,
                empty,
            );
            let sw = LLVMBuildSwitch(builder, r, targets[0], targets.len() as u32 - 1);
            for (k, t) in targets.iter().enumerate().skip(1) {
                LLVMAddCase(sw, LLVMConstInt(i32t, k as u64, 0), *t);
            }
            // The part: its entry copies the slots in.
            let entry = LLVMAppendBasicBlockInContext(ctx, part, empty);
            LLVMPositionBuilderAtEnd(builder, entry);
            let mut map: HashMap<LLVMValueRef, LLVMValueRef> = HashMap::new();
            let mut copies: Vec<(LLVMValueRef, LLVMValueRef, LLVMTypeRef)> = Vec::new();
            for (k, v) in live_ins.iter().enumerate() {
                let param = LLVMGetParam(part, k as u32);
                match self.slots.get(v) {
                    Some(&ty) => {
                        let local = LLVMBuildAlloca(builder, ty, empty);
                        let value = LLVMBuildLoad2(builder, ty, param, empty);
                        LLVMBuildStore(builder, value, local);
                        copies.push((local, param, ty));
                        map.insert(*v, local);
                    }
                    None => {
                        map.insert(*v, param);
                    }
                }
            }
            LLVMBuildBr(builder, header_bb);
            for &b in region {
                let bb = self.blocks[b];
                LLVMRemoveBasicBlockFromParent(bb);
                LLVMAppendExistingBasicBlock(part, bb);
            }
            // Operands: live-ins become the part's values.
            for &b in region {
                for ins in instructions(self.blocks[b]) {
                    let n = LLVMGetNumOperands(ins);
                    for k in 0..n {
                        let v = LLVMGetOperand(ins, k as u32);
                        if let Some(new) = map.get(&v) {
                            LLVMSetOperand(ins, k as u32, *new);
                        }
                    }
                }
            }
            // Exits: copy the slots back and say which target.
            let mut exits = Vec::with_capacity(targets.len());
            for k in 0..targets.len() {
                let bb = LLVMAppendBasicBlockInContext(ctx, part, empty);
                LLVMPositionBuilderAtEnd(builder, bb);
                for (local, param, ty) in &copies {
                    let value = LLVMBuildLoad2(builder, *ty, *local, empty);
                    LLVMBuildStore(builder, value, *param);
                }
                LLVMBuildRet(builder, LLVMConstInt(i32t, k as u64, 0));
                exits.push(bb);
            }
            for &b in region {
                let t = LLVMGetBasicBlockTerminator(self.blocks[b]);
                for k in 0..LLVMGetNumSuccessors(t) {
                    let s = LLVMGetSuccessor(t, k);
                    if let Some(pos) = targets.iter().position(|x| *x == s) {
                        LLVMSetSuccessor(t, k, exits[pos]);
                    }
                }
            }
            LLVMDisposeBuilder(builder);
        }
    }
}
