//! Host-defined structs in the node body: field reads and writes at their
//! offsets, struct outputs and struct state copied field by field.
//!
//! A struct value is the address of its memory (`!llvm.ptr`): an input's
//! or a state's is the pointer the host put in `inputs[i]` / `state[i]`.
//! `q.bid` is `cfunc.struct_get`, `q.bid = v` is `cfunc.struct_set`.
//! Assigning a struct to a struct state, or returning it as a struct
//! output, copies its fields into that memory; a local bound to a struct
//! refers to the same memory (as a Python name does).

use super::codegen::FnGen;
use crate::diagnostics::CompileError;
use crate::dialect::ir::Value;
use crate::types::{StructDef, Ty};
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

type R<T> = Result<T, CompileError>;

impl<'c> FnGen<'c> {
    /// The struct an attribute's base evaluates to, if it is a value (not
    /// a module or enum name).
    fn struct_base(
        &mut self,
        a: &ast::ExprAttribute,
    ) -> R<Option<(Value<'c>, &'static StructDef)>> {
        if !self.is_value_base(&a.value) {
            return Ok(None);
        }
        let (p, ty) = self.expr(&a.value)?;
        match ty {
            Ty::Struct(def) => Ok(Some((p, def))),
            other => Err(self.err(
                a,
                format!(
                    "'.{}' on {} value is not supported: only structs have fields",
                    a.attr.id,
                    super::a_ty(other)
                ),
            )),
        }
    }

    pub(super) fn field(
        &self,
        a: &ast::ExprAttribute,
        def: &'static StructDef,
    ) -> R<&'static crate::types::StructField> {
        def.field(a.attr.id.as_str()).ok_or_else(|| {
            self.err(
                a,
                format!(
                    "{} has no field '{}'; its fields are {}",
                    def.name,
                    a.attr.id,
                    def.field_names()
                ),
            )
        })
    }

    /// `q.field` when `q` is a struct value; `None` for module attributes.
    pub fn struct_field(&mut self, a: &ast::ExprAttribute) -> R<Option<(Value<'c>, Ty)>> {
        let Some((p, def)) = self.struct_base(a)? else {
            return Ok(None);
        };
        let f = self.field(a, def)?;
        self.set_loc(a);
        let b = self.b();
        let v = b.cfunc_struct_get(p, f);
        Ok(Some((v, f.ty)))
    }

    /// `q.field = v`.
    pub fn assign_field(&mut self, t: &ast::ExprAttribute, value: &Expr) -> R<()> {
        let (v, ty) = self.expr(value)?;
        self.store_field(t, v, ty, value.range())
    }

    /// Stores into `q.field`, converting as an assignment does.
    pub fn store_field(
        &mut self,
        t: &ast::ExprAttribute,
        v: Value<'c>,
        ty: Ty,
        at: TextRange,
    ) -> R<()> {
        let Some((p, def)) = self.struct_base(t)? else {
            return Err(self.err(
                t,
                "only struct fields can be assigned to: `q.field = value`",
            ));
        };
        let f = self.field(t, def)?;
        let v = self.convert(v, ty, f.ty, at).map_err(|refused| {
            refused.reword(|| {
                self.err(
                    &at,
                    format!(
                        "field '{}.{}' is {} but this value is {}; {}",
                        def.name,
                        f.name,
                        f.ty,
                        super::a_ty(ty),
                        super::convert_hint(self.cx, ty, f.ty)
                    ),
                )
            })
        })?;
        self.set_loc(t);
        self.b().cfunc_struct_set(p, f, v);
        Ok(())
    }

    /// `q.field op= v`.
    pub fn aug_assign_field(&mut self, a: &ast::StmtAugAssign, t: &ast::ExprAttribute) -> R<()> {
        let Some(lhs) = self.struct_field(t)? else {
            return Err(self.err(
                t,
                "only struct fields can be assigned to: `q.field += value`",
            ));
        };
        let rhs = self.expr(&a.value)?;
        let (v, ty) = self.binop(a.op, lhs, rhs, a.range)?;
        self.store_field(t, v, ty, a.value.range())
    }

    /// Copies every field of the struct at `src` to `dst`.
    pub fn copy_struct(&self, dst: Value<'c>, src: Value<'c>, def: &StructDef) {
        let b = self.b();
        for f in &def.fields {
            let v = b.cfunc_struct_get(src, f);
            b.cfunc_struct_set(dst, f, v);
        }
    }
}
