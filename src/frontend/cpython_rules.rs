//! Errors CPython's compiler raises that ruff's parser does not: a module
//! CPython refuses to compile must not compile here either. Each message
//! is CPython's (3.11), at the node CPython points at.
//!
//! - `def f(x, x)`, `lambda a, a: 0`: "duplicate argument 'x' in function
//!   definition", at the second parameter.
//! - `f(a=1, a=2)`, `-> Outputs(a=int, a=float)`: "keyword argument
//!   repeated: a", at the second keyword.
//! - an irrefutable pattern that is not allowed to be (CPython's
//!   `allow_irrefutable`): a capture or wildcard as a whole case pattern
//!   (alone, under `as`, or as an or-pattern's last alternative) of a case
//!   that is neither guarded nor last, or as any but the last alternative
//!   of an or-pattern: "name capture 'y' makes remaining patterns
//!   unreachable" / "wildcard makes remaining patterns unreachable". Inside
//!   sequence, mapping and class patterns anything goes.
//!
//! The walk covers the whole module, as CPython's compiler does. It runs
//! after the nesting check (`super::check_nesting`), so its recursion is
//! bounded and on the compile stack.

use crate::diagnostics::{CompileError, SourceMap};
use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{Expr, Parameters, Pattern, Stmt};
use ruff_text_size::{Ranged, TextSize};
use std::collections::HashSet;

/// The first violation in `body`, as a located error.
pub fn check(map: &SourceMap, body: &[Stmt]) -> Result<(), CompileError> {
    let mut c = Checker::default();
    c.visit_body(body);
    match c.first {
        None => Ok(()),
        Some((at, message)) => Err(CompileError::at(map, at.to_usize(), message)),
    }
}

#[derive(Default)]
struct Checker {
    first: Option<(TextSize, String)>,
}

impl Checker {
    fn fail(&mut self, at: TextSize, message: String) {
        if self.first.is_none() {
            self.first = Some((at, message));
        }
    }

    fn parameters(&mut self, p: &Parameters) {
        let mut seen = HashSet::new();
        let all = p
            .posonlyargs
            .iter()
            .chain(&p.args)
            .map(|a| &a.parameter)
            .chain(p.vararg.as_deref())
            .chain(p.kwonlyargs.iter().map(|a| &a.parameter))
            .chain(p.kwarg.as_deref());
        for param in all {
            let name = param.name.id.as_str();
            if !seen.insert(name) {
                self.fail(
                    param.start(),
                    format!("duplicate argument '{name}' in function definition"),
                );
            }
        }
    }

    /// CPython's `compiler_pattern` with `allow_irrefutable = allow`.
    fn pattern(&mut self, p: &Pattern, allow: bool) {
        match p {
            Pattern::MatchAs(a) => match &a.pattern {
                None if !allow => {
                    let message = match &a.name {
                        Some(n) => format!(
                            "name capture '{}' makes remaining patterns unreachable",
                            n.id
                        ),
                        None => "wildcard makes remaining patterns unreachable".to_string(),
                    };
                    self.fail(a.start(), message);
                }
                None => {}
                Some(inner) => self.pattern(inner, allow),
            },
            Pattern::MatchOr(o) => {
                let last = o.patterns.len().saturating_sub(1);
                for (i, alt) in o.patterns.iter().enumerate() {
                    self.pattern(alt, i == last && allow);
                }
            }
            // Subpatterns of sequences, mappings and classes may be
            // irrefutable; values and singletons are not.
            _ => {}
        }
    }
}

impl<'a> Visitor<'a> for Checker {
    fn visit_stmt(&mut self, s: &'a Stmt) {
        match s {
            Stmt::FunctionDef(f) => self.parameters(&f.parameters),
            Stmt::Match(m) => {
                let last = m.cases.len().saturating_sub(1);
                for (i, case) in m.cases.iter().enumerate() {
                    self.pattern(&case.pattern, case.guard.is_some() || i == last);
                }
            }
            _ => {}
        }
        walk_stmt(self, s);
    }

    fn visit_expr(&mut self, e: &'a Expr) {
        match e {
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.parameters(p);
                }
            }
            Expr::Call(c) => {
                let mut seen = HashSet::new();
                for k in &c.arguments.keywords {
                    if let Some(arg) = &k.arg {
                        if !seen.insert(arg.id.as_str()) {
                            self.fail(k.start(), format!("keyword argument repeated: {}", arg.id));
                        }
                    }
                }
            }
            _ => {}
        }
        walk_expr(self, e);
    }
}
