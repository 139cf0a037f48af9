//! A node's interface as the ABI sees it: its inputs, outputs and state
//! slots, in ABI order. The frontend computes it (`frontend/signature.rs`);
//! the driver writes it into the manifest.

use crate::types::{ArrayTy, CTy, ConstValue, Ty};

/// One input of the node.
#[derive(Clone, Debug)]
pub struct InputSpec {
    /// Parameter name.
    pub name: String,
    /// Value type.
    pub ty: Ty,
    /// Source category that carries it (`signal`).
    pub category: String,
    /// Its position among its category's inputs (the index into the
    /// category's value and flag arrays).
    pub index: usize,
}

/// One output of the node.
#[derive(Clone, Debug)]
pub struct OutputSpec {
    /// `output_0` for a single output, else the declared name.
    pub name: String,
    /// Value type.
    pub ty: Ty,
}

/// One state variable.
#[derive(Clone, Debug)]
pub struct StateSpec {
    /// Variable name.
    pub name: String,
    /// Value type.
    pub ty: Ty,
    /// Index into the `state` array.
    pub slot: usize,
    /// Declared initial value, written at START (scalars only).
    pub initial: ConstValue,
    /// Byte offset of the declaration in the source.
    pub at: usize,
    /// For a list or dict state: its type. START stores a new empty
    /// container's pointer in `state[slot]`; `ty` is then its value type.
    pub container: Option<CTy>,
    /// For a struct state: the fields its initializer gives
    /// (`Quote(bid=1.0)`), in declaration order; START zero-fills the
    /// struct, then writes these.
    pub struct_init: Vec<(String, ConstValue)>,
    /// For an array state (`a: State[NumbaArray] = create_new_array(int,
    /// 4)`): its type. `state[slot]` points at host memory of its byte
    /// size, which START zero-fills; `ty` is then its element type.
    pub array: Option<ArrayTy>,
}

impl StateSpec {
    /// The bytes the host provides behind `state[slot]` for a struct or an
    /// array state (the seed's `struct_state_sizes`); `None` for a scalar
    /// cell or a container's pointer.
    pub fn buffer_size(&self) -> Option<usize> {
        match (self.array, self.ty.as_struct()) {
            (Some(a), _) => Some(a.byte_size()),
            (None, Some(def)) if self.container.is_none() => Some(def.size),
            _ => None,
        }
    }
}

/// Everything about a node's interface, as the manifest reports it.
#[derive(Clone, Debug)]
pub struct NodeSignature {
    /// The Python function name.
    pub function: String,
    /// Inputs in ABI order.
    pub inputs: Vec<InputSpec>,
    /// Constant parameters with their values.
    pub constants: Vec<(String, ConstValue)>,
    /// Outputs in ABI order.
    pub outputs: Vec<OutputSpec>,
    /// Whether the outputs were declared with `Outputs(...)`.
    pub named_outputs: bool,
    /// State variables in slot order.
    pub state: Vec<StateSpec>,
    /// Constant list and dict parameters: name, type, value.
    pub const_containers: Vec<(String, CTy, ConstValue)>,
    /// The external C functions the node calls, which the host process or
    /// linked bitcode must provide.
    pub externs: Vec<crate::abi::externs::ExternFunction>,
}

/// The name of the hidden last state slot that holds the instance's fault
/// record (not a Python identifier, so no state can take it).
pub const FAULT_STATE: &str = "<fault>";

impl NodeSignature {
    /// The slot of the instance's fault record: the last state slot.
    pub fn fault_slot(&self) -> usize {
        self.state
            .iter()
            .find(|s| s.name == FAULT_STATE)
            .expect("every node has a fault slot")
            .slot
    }
}
