//! An extension outside the crate, through the public API only: an
//! order-book struct whose accessors are C functions (compiled to bitcode
//! by build.rs and linked into the node, where they inline), a computed
//! attribute (`book.spread`) whose lowering builds IR with the typed
//! builder, a `Side` enum, and a `Book[T]` input category with its own ABI
//! parameter (`books`).
//!
//! It compiles a quoting node that uses all of them, drives it through the
//! runner and checks every tick against the same logic written in Rust.
//! `make test` runs it (`cargo run --example order_book_extension`).

use cfuncc::context::{AbiType, CategoryInputs, InputHandler, PropertyHandler, SourceCategory};
use cfuncc::extensions::enums::EnumType;
use cfuncc::runner::{Node, Value};
use cfuncc::types::{StructDef, StructField};
use cfuncc::{
    compile_to_so, CompilationContext, CompilationOptions, Constants, ExternFunction, Ty,
};
use std::sync::Arc;

const BOOK_BC: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/order_book.bc"));

const NODE: &str = r#"
def quote(book: Book[OrderBook], side: Signal[Side], qty: Signal[int]) -> Outputs(mid=float, price=float, position=int):
    position: State[int] = 0
    position += qty * side
    mid = book.mid()
    skew = book.imbalance() * 0.5 * book.spread
    if side == Side.BUY:
        return mid, book.best_bid + skew, position
    return mid, book.best_ask + skew, position
"#;

/// Registers the extension into `ctx`.
fn register(ctx: &mut CompilationContext) -> cfuncc::Result<()> {
    let f = |name: &str, ty, offset| StructField::new(name, ty, offset);
    let book = ctx.register_struct(StructDef {
        name: "OrderBook".into(),
        size: 32,
        fields: vec![
            f("best_bid", Ty::Float, 0),
            f("best_ask", Ty::Float, 8),
            f("bid_size", Ty::Int, 16),
            f("ask_size", Ty::Int, 24),
        ],
    })?;
    // book.mid() → book_mid(&book), book.imbalance() → book_imbalance(&book).
    ctx.register_extern(
        ExternFunction::new("mid", &[book], Some(Ty::Float))
            .symbol("book_mid")
            .method(),
    )?;
    ctx.register_extern(
        ExternFunction::new("imbalance", &[book], Some(Ty::Float))
            .symbol("book_imbalance")
            .method(),
    )?;
    // book.spread → best_ask - best_bid. The lowering gets a builder and the
    // receiver as typed handles, valid only inside this callback.
    let field = |name: &str| {
        book.as_struct()
            .and_then(|def| def.field(name))
            .cloned()
            .expect("a field of OrderBook")
    };
    let (bid_field, ask_field) = (field("best_bid"), field("best_ask"));
    ctx.register_property(PropertyHandler {
        receiver: book,
        name: "spread".into(),
        ty: Ty::Float,
        lower: Arc::new(move |b, v| {
            let ask = b.cfunc_struct_get(v, &ask_field);
            let bid = b.cfunc_struct_get(v, &bid_field);
            Ok(b.bin("arith.subf", ask, bid))
        }),
    });
    ctx.register_enum(EnumType::new("Side", &[("BUY", 1), ("SELL", -1)]))?;
    ctx.register_source_category(SourceCategory {
        id: "book".into(),
        order: 10,
        params: vec![("books".into(), AbiType::Ptr)],
        inputs: Some(CategoryInputs {
            values: "books".into(),
            ticked: None,
            valid: None,
        }),
    })?;
    ctx.register_input_handler(InputHandler {
        wrapper: "Book".into(),
        category: "book".into(),
    });
    Ok(())
}

/// The node's logic in Rust, for checking: (mid, price, position).
fn reference(ticks: &[(f64, f64, i64, i64, i64, i64)]) -> Vec<(f64, f64, i64)> {
    let mut position = 0;
    ticks
        .iter()
        .map(|&(bid, ask, bsz, asz, side, qty)| {
            position += qty * side;
            let mid = 0.5 * (bid + ask);
            let total = bsz + asz;
            let imbalance = if total == 0 {
                0.0
            } else {
                (bsz - asz) as f64 / total as f64
            };
            let skew = imbalance * 0.5 * (ask - bid);
            let price = if side == 1 { bid + skew } else { ask + skew };
            (mid, price, position)
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut ctx = CompilationContext::with_defaults()?;
    register(&mut ctx)?;
    let options = CompilationOptions::default().with_bitcode("order_book.bc", BOOK_BC);
    let out = tempfile::Builder::new()
        .prefix("order_book_extension-")
        .tempdir()?;
    let r = compile_to_so(
        &ctx,
        NODE,
        "quote",
        &Constants::new(),
        &options,
        &out.path().join("quote.so"),
    )?;
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let manifest = r.manifest();
    println!(
        "compiled {} ({}), ABI: {}",
        r.native_name,
        r.so_path.display(),
        r.abi.join(", ")
    );
    assert_eq!(
        manifest["externs"],
        serde_json::json!([]),
        "the accessors are linked from bitcode, not imported"
    );

    let ticks = [
        (99.5, 100.5, 300, 100, 1, 5),
        (99.75, 100.25, 50, 150, -1, 2),
        (100.0, 100.5, 0, 0, 1, 1),
        (98.0, 101.0, 10, 30, -1, 7),
    ];
    let mut node = Node::load(&r.so_path, &manifest)?;
    node.start().map_err(|f| f.message)?;
    for (tick, want) in ticks.iter().zip(reference(&ticks)) {
        let &(bid, ask, bsz, asz, side, qty) = tick;
        // Inputs in signature order: the book (its own category), side, qty.
        let inputs = [
            Value::Struct(vec![
                Value::Float(bid),
                Value::Float(ask),
                Value::Int(bsz),
                Value::Int(asz),
            ]),
            Value::Int(side),
            Value::Int(qty),
        ];
        let outs = node.execute(&inputs, &[], &[]).map_err(|f| f.message)?;
        let got = match &outs[..] {
            [Some(Value::Float(m)), Some(Value::Float(p)), Some(Value::Int(pos))] => (*m, *p, *pos),
            other => return Err(format!("unexpected outputs {other:?}").into()),
        };
        println!(
            "book {bid}/{ask} ({bsz}x{asz}), side {side:+}, qty {qty}: mid {} price {} position {}",
            got.0, got.1, got.2
        );
        assert_eq!(got, want, "tick {tick:?}");
    }
    node.stop().map_err(|f| f.message)?;
    out.close()?;
    println!("order_book_extension: all ticks match the Rust reference");
    Ok(())
}
