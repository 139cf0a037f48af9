//! External C functions a node may call: their declaration, C and Python
//! signatures, and the rules a declaration must follow. How a call is
//! emitted is the dialect's (`dialect::externs`); how an `@extern` stub is
//! read is the frontend's (`frontend/externs.rs`).
//!
//! The C ABI: `int` is `int64_t` (LLVM `i64`), `float` is `double`, `bool`
//! is C's `bool` (`_Bool`: LLVM `i1` with `zeroext`, as clang declares it,
//! so a definition linked from clang bitcode has the same type and inlines).

use crate::types::{StructDef, Ty};

/// An external C function the node may call.
///
/// ```
/// use cfuncc::{ExternFunction, Ty};
/// // double book_mid(int64_t bid, int64_t ask), merged and hoisted by LLVM:
/// let f = ExternFunction::new("book_mid", &[Ty::Int, Ty::Int], Some(Ty::Float));
/// assert_eq!(f.c_signature(), "double book_mid(int64_t, int64_t)");
/// // void log_tick(double), which writes memory:
/// let g = ExternFunction::new("log_tick", &[Ty::Float], None).pure(false);
/// assert!(!g.pure);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExternFunction {
    /// The name the node calls it by (a Python identifier).
    pub name: String,
    /// The C symbol called; `name` unless set with [`ExternFunction::symbol`].
    pub symbol: String,
    /// Parameter types, in order.
    pub params: Vec<Ty>,
    /// The return type; `None` for a C `void` function, which the node can
    /// call only as a statement.
    pub ret: Option<Ty>,
    /// Declared `memory(read)`: the function writes no memory, so LLVM may
    /// merge and hoist calls. `nounwind` is declared either way.
    pub pure: bool,
    /// When `--link-bitcode` provides the definition, mark it `alwaysinline`
    /// so it inlines into the node.
    pub inline: bool,
    /// Called as a method of its first parameter, which is a struct:
    /// `book.mid(x)` calls `book_mid(book, x)` (see [`ExternFunction::method`]).
    pub method: bool,
}

impl ExternFunction {
    /// A pure, inlinable extern whose C symbol is `name`.
    pub fn new(name: &str, params: &[Ty], ret: Option<Ty>) -> Self {
        Self {
            name: name.to_string(),
            symbol: name.to_string(),
            params: params.to_vec(),
            ret,
            pure: true,
            inline: true,
            method: false,
        }
    }

    /// Sets whether the function is pure (declared `memory(read)`).
    pub fn pure(mut self, pure: bool) -> Self {
        self.pure = pure;
        self
    }

    /// Sets whether a definition linked from bitcode is forced inline.
    pub fn inline(mut self, inline: bool) -> Self {
        self.inline = inline;
        self
    }

    /// Makes the function a method of its first parameter's struct type,
    /// called by `name` on a value of that type, which is passed first (as
    /// a pointer to the struct's memory).
    ///
    /// ```
    /// use cfuncc::{CompilationContext, ExternFunction, Ty};
    /// use cfuncc::types::{StructDef, StructField};
    /// let mut ctx = CompilationContext::with_defaults().unwrap();
    /// let f = |name: &str, offset| StructField::new(name, Ty::Float, offset);
    /// let book = ctx
    ///     .register_struct(StructDef { name: "Book".into(), size: 16, fields: vec![f("bid", 0), f("ask", 8)] })
    ///     .unwrap();
    /// // book.mid() calls double book_mid(struct Book *book).
    /// let mid = ExternFunction::new("mid", &[book], Some(Ty::Float)).symbol("book_mid").method();
    /// assert_eq!(mid.c_signature(), "double book_mid(struct Book *)");
    /// ctx.register_extern(mid).unwrap();
    /// let src = "def f(b: Signal[Book]) -> Signal[float]:\n    return b.mid()\n";
    /// let ir = cfuncc::compile_to_mlir(&ctx, src, "f", &Default::default(), &Default::default(), cfuncc::Stage::Cfunc)
    ///     .unwrap();
    /// assert!(ir.contains("call @book_mid"));
    /// ```
    pub fn method(mut self) -> Self {
        self.method = true;
        self
    }

    /// The struct type whose method this is, for a method.
    pub fn receiver(&self) -> Option<&'static StructDef> {
        self.method
            .then(|| self.params.first().and_then(|t| t.as_struct()))
            .flatten()
    }

    /// Calls the C symbol `symbol` instead of `name`.
    pub fn symbol(mut self, symbol: &str) -> Self {
        self.symbol = symbol.to_string();
        self
    }

    /// The C prototype: `double book_mid(int64_t, int64_t)`.
    pub fn c_signature(&self) -> String {
        let params: Vec<String> = self.params.iter().map(|t| c_type(*t)).collect();
        format!(
            "{} {}({})",
            self.ret.map_or_else(|| "void".to_string(), c_type),
            self.symbol,
            if params.is_empty() {
                "void".to_string()
            } else {
                params.join(", ")
            }
        )
    }

    /// The Python spelling of the call's signature: `book_mid(int, int) -> float`.
    pub fn python_signature(&self) -> String {
        let params: Vec<&str> = self.params.iter().map(|t| t.python_name()).collect();
        format!(
            "{}({}) -> {}",
            self.name,
            params.join(", "),
            self.ret.map_or("None", Ty::python_name)
        )
    }

    /// A canonical description of everything that changes the generated
    /// code, for the semantic key.
    pub fn key(&self) -> String {
        format!(
            "{} = {} pure={} inline={} method={}",
            self.python_signature(),
            self.c_signature(),
            self.pure,
            self.inline,
            self.method
        )
    }
}

/// The C type a value type crosses the ABI as: a scalar type as its repr
/// (datetime and timedelta as their int64 nanoseconds), a struct as a
/// pointer to its memory.
pub fn c_type(ty: Ty) -> String {
    match ty {
        Ty::Int => "int64_t".into(),
        Ty::Float => "double".into(),
        Ty::Bool => "bool".into(),
        Ty::Struct(s) => format!("struct {} *", s.name),
        Ty::Scalar(s) => c_type(s.repr),
    }
}

/// Whether `s` is a C identifier (ASCII letters, digits and `_`, not
/// starting with a digit).
pub fn is_c_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Why `f` cannot be declared, if it cannot: its name must be a Python
/// identifier and its symbol a C identifier outside the names the compiler
/// uses itself (the container runtime's `cfrt_*`).
pub fn check_declaration(f: &ExternFunction) -> Result<(), String> {
    let py_ident = f
        .name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && f.name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if !py_ident {
        return Err(format!(
            "extern name '{}' is not a Python identifier",
            f.name
        ));
    }
    if !is_c_identifier(&f.symbol) {
        return Err(format!(
            "extern symbol '{}' is not a C identifier (ASCII letters, digits and _)",
            f.symbol
        ));
    }
    if f.method && f.receiver().is_none() {
        return Err(format!(
            "extern '{}' is a method, so its first parameter must be a struct",
            f.name
        ));
    }
    if let Some(Ty::Struct(s)) = f.ret {
        return Err(format!(
            "extern '{}' cannot return a struct ({}): the node could not know how long the returned memory lives; take it as a parameter instead",
            f.name, s.name
        ));
    }
    if f.symbol.starts_with(super::RUNTIME_PREFIX) {
        return Err(format!(
            "extern symbol '{}': the prefix '{}' is reserved for the container runtime",
            f.symbol,
            super::RUNTIME_PREFIX
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures() {
        let f =
            ExternFunction::new("mid", &[Ty::Int, Ty::Bool], Some(Ty::Float)).symbol("book_mid");
        assert_eq!(f.c_signature(), "double book_mid(int64_t, bool)");
        assert_eq!(f.python_signature(), "mid(int, bool) -> float");
        let g = ExternFunction::new("tick", &[], None);
        assert_eq!(g.c_signature(), "void tick(void)");
    }

    #[test]
    fn key_changes_with_every_property() {
        let f = ExternFunction::new("f", &[Ty::Int], Some(Ty::Float));
        let variants = [
            f.clone().pure(false),
            f.clone().inline(false),
            f.clone().symbol("g"),
            ExternFunction::new("f", &[Ty::Float], Some(Ty::Float)),
            ExternFunction::new("f", &[Ty::Int], Some(Ty::Int)),
            ExternFunction::new("f", &[Ty::Int], None),
        ];
        for v in variants.into_iter().chain([f.clone().method()]) {
            assert_ne!(f.key(), v.key(), "{v:?}");
        }
    }

    #[test]
    fn declarations_are_checked() {
        let ok = ExternFunction::new("größe", &[], Some(Ty::Int)).symbol("groesse");
        assert!(check_declaration(&ok).is_ok());
        for bad in [
            ExternFunction::new("größe", &[], Some(Ty::Int)),
            ExternFunction::new("a-b", &[], Some(Ty::Int)),
            ExternFunction::new("f", &[], Some(Ty::Int)).symbol("1f"),
            ExternFunction::new("cfrt_list_new", &[], Some(Ty::Int)),
        ] {
            assert!(check_declaration(&bad).is_err(), "{bad:?}");
        }
    }
}
