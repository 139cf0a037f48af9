//! A tick loop on raw cells: what a host does every tick, as tight as a host
//! would write it, for measuring nodes (`cfuncc bench`) and replaying long
//! series. Per tick it writes the input cells and flags, clears the output
//! flags and the fault cell, calls EXECUTE through the C ABI, and records
//! every output cell, its ticked flag and the fault cell.
//!
//! This crate is built optimised even in debug builds (the workspace's
//! `profile.dev.package.cfuncc-host`), so a measurement through it shows
//! the node, not an unoptimised loop around it.

use crate::abi::phase;
use std::ffi::c_void;
use std::time::{Duration, Instant};

/// A node's function: `void f(void** outputs, int8_t* output_ticked, void**
/// state, int8_t lifecycle_phase, void** inputs, int8_t* input_ticked,
/// int8_t* input_valid)`.
pub type NodeFn = unsafe extern "C" fn(
    *mut *mut c_void,
    *mut i8,
    *mut *mut c_void,
    i8,
    *mut *mut c_void,
    *mut i8,
    *mut i8,
);

/// What one state slot points at before START.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A zeroed 8-byte cell (scalar state, the fault cell).
    Cell,
    /// NULL: a container slot, which START fills (design.md §2).
    Container,
    /// A zeroed buffer of this many 8-byte words (struct state).
    Struct(usize),
}

/// The ticks to run: per tick, one cell per input and one ticked and one
/// valid flag per input (one of each when the node has no inputs).
#[derive(Clone, Debug, Default)]
pub struct Ticks {
    /// Inputs per tick.
    pub n_inputs: usize,
    /// `n_inputs` cells per tick.
    pub cells: Vec<u64>,
    /// `max(n_inputs, 1)` flags per tick.
    pub ticked: Vec<i8>,
    /// `max(n_inputs, 1)` flags per tick.
    pub valid: Vec<i8>,
}

impl Ticks {
    /// The number of ticks.
    pub fn len(&self) -> usize {
        self.ticked.len() / self.n_inputs.max(1)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ticked.is_empty()
    }
}

/// A node and every cell the ABI points at (boxed, so the pointers stay
/// put), with the record of the last round.
pub struct TickLoop {
    func: NodeFn,
    fault_slot: Option<usize>,
    n_out: usize,
    inputs: Box<[u64]>,
    input_ptrs: Box<[*mut c_void]>,
    input_ticked: Box<[i8]>,
    input_valid: Box<[i8]>,
    outputs: Box<[u64]>,
    output_ptrs: Box<[*mut c_void]>,
    output_ticked: Box<[i8]>,
    state: Box<[u64]>,
    state_ptrs: Box<[*mut c_void]>,
    slots: Vec<Slot>,
    buffers: Vec<Box<[u64]>>,
    record: Vec<u64>,
    record_ticked: Vec<bool>,
    faults: Vec<u64>,
}

impl TickLoop {
    /// A loop for `func` with `n_inputs` scalar inputs, `n_outputs` scalar
    /// outputs, the state `slots` in slot order, and the fault cell in
    /// state slot `fault_slot` (`None`: the code has none, as hand-written
    /// C has not).
    ///
    /// # Safety
    /// `func` must be a node function with the standard ABI whose inputs and
    /// outputs are 8-byte cells and whose state is laid out as `slots`
    /// says, and it must stay loaded while the loop is used.
    pub unsafe fn new(
        func: NodeFn,
        n_inputs: usize,
        n_outputs: usize,
        slots: Vec<Slot>,
        fault_slot: Option<usize>,
    ) -> Self {
        let (n_in, n_out) = (n_inputs.max(1), n_outputs.max(1));
        let mut l = TickLoop {
            func,
            fault_slot,
            n_out: n_outputs,
            inputs: vec![0; n_in].into_boxed_slice(),
            input_ptrs: vec![std::ptr::null_mut(); n_in].into_boxed_slice(),
            input_ticked: vec![1; n_in].into_boxed_slice(),
            input_valid: vec![1; n_in].into_boxed_slice(),
            outputs: vec![0; n_out].into_boxed_slice(),
            output_ptrs: vec![std::ptr::null_mut(); n_out].into_boxed_slice(),
            output_ticked: vec![0; n_out].into_boxed_slice(),
            state: vec![0; slots.len().max(1)].into_boxed_slice(),
            state_ptrs: vec![std::ptr::null_mut(); slots.len().max(1)].into_boxed_slice(),
            slots,
            buffers: Vec::new(),
            record: Vec::new(),
            record_ticked: Vec::new(),
            faults: Vec::new(),
        };
        for i in 0..n_inputs {
            l.input_ptrs[i] = &mut l.inputs[i] as *mut u64 as *mut c_void;
        }
        for i in 0..n_outputs {
            l.output_ptrs[i] = &mut l.outputs[i] as *mut u64 as *mut c_void;
        }
        l
    }

    /// Points every state slot as a host does before START: scalar slots at
    /// zeroed cells, container slots NULL, structs at zeroed buffers.
    fn reset_state(&mut self) {
        self.buffers.clear();
        for (i, slot) in self.slots.iter().enumerate() {
            self.state[i] = 0;
            self.state_ptrs[i] = match *slot {
                Slot::Cell => &mut self.state[i] as *mut u64 as *mut c_void,
                Slot::Container => std::ptr::null_mut(),
                Slot::Struct(words) => {
                    let mut b = vec![0u64; words.max(1)].into_boxed_slice();
                    let p = b.as_mut_ptr() as *mut c_void;
                    self.buffers.push(b);
                    p
                }
            };
        }
    }

    #[inline(always)]
    fn call(&mut self, phase: i8) {
        // SAFETY: `new`'s caller vouched for the function and the layout;
        // every pointer points at this loop's cells.
        unsafe {
            (self.func)(
                self.output_ptrs.as_mut_ptr(),
                self.output_ticked.as_mut_ptr(),
                self.state_ptrs.as_mut_ptr(),
                phase,
                self.input_ptrs.as_mut_ptr(),
                self.input_ticked.as_mut_ptr(),
                self.input_valid.as_mut_ptr(),
            )
        }
    }

    /// One round: START, every tick, STOP. Returns the time of the ticks
    /// alone; the record holds what they produced.
    pub fn round(&mut self, ticks: &Ticks) -> Duration {
        let n = ticks.len();
        let (n_in, n_out, flags) = (ticks.n_inputs, self.n_out, ticks.n_inputs.max(1));
        assert!(n_in <= self.input_ptrs.len() && flags == self.input_ticked.len());
        self.record.resize(n * n_out, 0);
        self.record_ticked.resize(n * n_out, false);
        self.faults.resize(n, 0);
        self.reset_state();
        self.call(phase::START);
        let t = Instant::now();
        for tick in 0..n {
            self.inputs[..n_in].copy_from_slice(&ticks.cells[tick * n_in..(tick + 1) * n_in]);
            self.input_ticked
                .copy_from_slice(&ticks.ticked[tick * flags..(tick + 1) * flags]);
            self.input_valid
                .copy_from_slice(&ticks.valid[tick * flags..(tick + 1) * flags]);
            self.output_ticked.fill(0);
            if let Some(f) = self.fault_slot {
                self.state[f] = 0;
            }
            self.call(phase::EXECUTE);
            for o in 0..n_out {
                self.record[tick * n_out + o] = self.outputs[o];
                self.record_ticked[tick * n_out + o] = self.output_ticked[o] != 0;
            }
            if let Some(f) = self.fault_slot {
                self.faults[tick] = self.state[f];
            }
        }
        let elapsed = t.elapsed();
        self.call(phase::STOP);
        elapsed
    }

    /// The last round's outputs: per tick and output, the cell (the
    /// previous value when it did not tick).
    pub fn outputs(&self) -> &[u64] {
        &self.record
    }

    /// The last round's ticked flags, per tick and output.
    pub fn ticked(&self) -> &[bool] {
        &self.record_ticked
    }

    /// The last round's fault cell after each tick (0: no fault; see
    /// [`crate::abi::unpack_fault`]); all 0 without a fault slot.
    pub fn faults(&self) -> &[u64] {
        &self.faults
    }
}
