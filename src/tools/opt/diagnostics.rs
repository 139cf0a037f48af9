//! Diagnostics in `cfunc-opt`: collecting every MLIR diagnostic with its
//! severity, location and notes; rendering them as `FILE:LINE:COL: error:`
//! with a code frame; and `--verify-diagnostics`, which checks them against
//! `expected-error @+1 {{...}}` annotations in the input, as `mlir-opt` does.

use crate::diagnostics::{CompileError, SourceMap};
use crate::dialect::ir::Location;
use crate::passes::pattern::PassDiag;
use mlir_sys::*;
use std::fmt;

/// How serious a diagnostic is (MLIR's four severities).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// `error`
    Error,
    /// `warning`
    Warning,
    /// `note`
    Note,
    /// `remark`
    Remark,
}

impl Severity {
    fn from_mlir(s: MlirDiagnosticSeverity) -> Self {
        #[allow(non_upper_case_globals)]
        match s {
            MlirDiagnosticSeverity_MlirDiagnosticWarning => Severity::Warning,
            MlirDiagnosticSeverity_MlirDiagnosticNote => Severity::Note,
            MlirDiagnosticSeverity_MlirDiagnosticRemark => Severity::Remark,
            _ => Severity::Error,
        }
    }

    fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "note" => Severity::Note,
            "remark" => Severity::Remark,
            _ => return None,
        })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
            Severity::Remark => "remark",
        })
    }
}

/// A diagnostic resolved to a file position (or none, for `loc(unknown)`).
#[derive(Clone, Debug)]
pub struct Diag {
    /// Its severity.
    pub severity: Severity,
    /// `(file, line, col)`, 1-based.
    pub at: Option<(String, u32, u32)>,
    /// The message.
    pub message: String,
    /// Notes attached to it.
    pub notes: Vec<Diag>,
}

impl Diag {
    /// An error from a pass or the verifier.
    pub fn from_pass(d: &PassDiag<'_>) -> Self {
        Diag {
            severity: Severity::Error,
            at: d.loc.position(),
            message: d.message.clone(),
            notes: Vec::new(),
        }
    }

    /// An error from the frontend.
    pub fn from_compile_error(e: &CompileError) -> Self {
        Diag {
            severity: Severity::Error,
            at: Some((e.file.clone(), e.pos.line, e.pos.col)),
            message: e.message.clone(),
            notes: Vec::new(),
        }
    }

    /// Copies an MLIR diagnostic, with its notes.
    ///
    /// # Safety
    /// `d` must be a live diagnostic (inside a handler).
    unsafe fn from_mlir(d: MlirDiagnostic) -> Self {
        unsafe {
            let mut message = Vec::<u8>::new();
            unsafe extern "C" fn cb(s: MlirStringRef, data: *mut std::ffi::c_void) {
                let out = unsafe { &mut *(data as *mut Vec<u8>) };
                if !s.data.is_null() {
                    out.extend_from_slice(unsafe {
                        std::slice::from_raw_parts(s.data as *const u8, s.length)
                    });
                }
            }
            mlirDiagnosticPrint(d, Some(cb), &mut message as *mut Vec<u8> as *mut _);
            let notes = (0..mlirDiagnosticGetNumNotes(d))
                .map(|i| Diag::from_mlir(mlirDiagnosticGetNote(d, i)))
                .collect();
            Diag {
                severity: Severity::from_mlir(mlirDiagnosticGetSeverity(d)),
                at: Location::from_raw(mlirDiagnosticGetLocation(d)).position(),
                message: String::from_utf8_lossy(&message).into_owned(),
                notes,
            }
        }
    }

    /// The diagnostic and its notes, as a flat list.
    fn flatten(&self) -> Vec<&Diag> {
        let mut out = vec![self];
        out.extend(self.notes.iter().flat_map(|n| n.flatten()));
        out
    }

    /// Renders `FILE:LINE:COL: severity: message`; an error in `map`'s file
    /// gets the source line and a caret, as the frontend's errors do. Notes
    /// follow, one per line.
    pub fn render(&self, map: &SourceMap) -> String {
        let mut s = match &self.at {
            Some((file, line, col)) if *line > 0 => {
                let e = CompileError {
                    file: file.clone(),
                    pos: crate::diagnostics::Pos {
                        line: *line,
                        col: *col,
                    },
                    message: self.message.clone(),
                    source_line: (file == &map.filename && self.severity == Severity::Error)
                        .then(|| map.line_text(*line).map(str::to_string))
                        .flatten(),
                };
                // CompileError says "error"; other severities keep their word.
                e.to_string()
                    .replacen(": error: ", &format!(": {}: ", self.severity), 1)
            }
            _ => format!("{}: {}: {}", map.filename, self.severity, self.message),
        };
        for n in &self.notes {
            s.push('\n');
            s.push_str(&n.render(map));
        }
        s
    }
}

/// Collects every diagnostic MLIR emits in a context while alive; handlers
/// attached later (the library's own captures) take precedence.
pub struct Collector<'c> {
    ctx: &'c melior::Context,
    id: MlirDiagnosticHandlerID,
    diags: *mut Vec<Diag>,
}

impl<'c> Collector<'c> {
    /// Attaches a handler to `ctx`.
    pub fn attach(ctx: &'c melior::Context) -> Self {
        unsafe extern "C" fn handler(
            d: MlirDiagnostic,
            data: *mut std::ffi::c_void,
        ) -> MlirLogicalResult {
            let out = unsafe { &mut *(data as *mut Vec<Diag>) };
            out.push(unsafe { Diag::from_mlir(d) });
            MlirLogicalResult { value: 1 }
        }
        let diags = Box::into_raw(Box::<Vec<Diag>>::default());
        let id = unsafe {
            mlirContextAttachDiagnosticHandler(ctx.to_raw(), Some(handler), diags as *mut _, None)
        };
        Collector { ctx, id, diags }
    }

    /// Takes what was collected so far.
    pub fn take(&mut self) -> Vec<Diag> {
        std::mem::take(unsafe { &mut *self.diags })
    }

    /// Keeps only the collected diagnostics `keep` accepts.
    pub fn retain(&mut self, keep: impl FnMut(&Diag) -> bool) {
        unsafe { &mut *self.diags }.retain(keep)
    }
}

impl Drop for Collector<'_> {
    fn drop(&mut self) {
        unsafe {
            mlirContextDetachDiagnosticHandler(self.ctx.to_raw(), self.id);
            drop(Box::from_raw(self.diags));
        }
    }
}

/// Where an annotation expects its diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Line(u32),
    Unknown,
}

/// One `expected-<severity> [@designator] {{text}}` annotation.
#[derive(Clone, Debug)]
struct Expected {
    severity: Severity,
    target: Target,
    text: String,
    /// Where the annotation itself is.
    line: u32,
    col: u32,
    matched: bool,
}

const MARKER: &str = "expected-";

/// Parses the annotations of `text`. Line numbers are `text`'s own (a split
/// chunk is padded so that they are the file's).
fn parse_expectations(text: &str) -> Result<Vec<Expected>, (u32, u32, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    // `@below` annotations waiting for the next line without annotations.
    let mut below: Vec<usize> = Vec::new();
    let mut last_plain: u32 = 0;
    for (i, line) in lines.iter().enumerate() {
        let lineno = i as u32 + 1;
        let mut designators = 0;
        let mut rest_at = 0;
        while let Some(found) = line[rest_at..].find(MARKER) {
            let start = rest_at + found;
            let col = line[..start].chars().count() as u32 + 1;
            let err = |m: &str| (lineno, col, m.to_string());
            let after = &line[start + MARKER.len()..];
            let word_len = after
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(after.len());
            let Some(severity) = Severity::parse(&after[..word_len]) else {
                rest_at = start + MARKER.len();
                continue;
            };
            let mut rest = &after[word_len..];
            // Prose that mentions `expected-error` is not an annotation: one
            // has its text in `{{...}}`.
            if !rest.contains("{{") {
                rest_at = start + MARKER.len();
                continue;
            }
            designators += 1;
            if rest.starts_with("-re") {
                return Err(err("expected-*-re (regular expressions) is not supported"));
            }
            rest = rest.trim_start();
            let mut target = Target::Line(lineno);
            let mut is_below = false;
            if let Some(d) = rest.strip_prefix('@') {
                let len = d.find(char::is_whitespace).unwrap_or(d.len());
                let d_word = d[..len].split("{{").next().unwrap_or_default();
                target = match d_word {
                    "above" if last_plain == 0 => {
                        return Err(err("'@above' with no line above it"));
                    }
                    "above" => Target::Line(last_plain),
                    "below" => {
                        is_below = true;
                        Target::Line(0)
                    }
                    "unknown" => Target::Unknown,
                    w => {
                        let offset: i64 = w
                            .strip_prefix('+')
                            .unwrap_or(w)
                            .parse()
                            .map_err(|_| err(&format!("bad designator '@{w}'")))?;
                        let t = lineno as i64 + offset;
                        if t < 1 || t > lines.len() as i64 {
                            return Err(err(&format!("'@{w}' points outside the file")));
                        }
                        Target::Line(t as u32)
                    }
                };
                rest = d[d_word.len()..].trim_start();
            }
            let Some(body) = rest.strip_prefix("{{") else {
                return Err(err("expected '{{' after the designator"));
            };
            let Some(end) = body.rfind("}}") else {
                return Err(err("expected '}}' at the end of the expected text"));
            };
            if is_below {
                below.push(out.len());
            }
            out.push(Expected {
                severity,
                target,
                text: body[..end].to_string(),
                line: lineno,
                col,
                matched: false,
            });
            // One annotation's text runs to the end of the line.
            break;
        }
        if designators == 0 {
            last_plain = lineno;
            for i in below.drain(..) {
                out[i].target = Target::Line(lineno);
            }
        }
    }
    if let Some(&i) = below.first() {
        return Err((
            out[i].line,
            out[i].col,
            "'@below' with no line below it".into(),
        ));
    }
    Ok(out)
}

/// Checks `diags` (from one input chunk) against the annotations in the
/// chunk's text. Returns one rendered failure per unexpected diagnostic and
/// per annotation no diagnostic matched; empty when everything matched.
/// The MLIR context's "see current operation" notes are ignored, as
/// `mlir-opt --verify-diagnostics` turns them off.
pub fn verify(diags: &[Diag], map: &SourceMap) -> Vec<String> {
    let mut expected = match parse_expectations(&map.text) {
        Ok(e) => e,
        Err((line, col, m)) => {
            return vec![format!("{}:{line}:{col}: error: {m}", map.filename)];
        }
    };
    let mut failures = Vec::new();
    for d in diags.iter().flat_map(Diag::flatten) {
        if d.severity == Severity::Note && d.message.starts_with("see current operation") {
            continue;
        }
        let target = match &d.at {
            Some((file, line, _)) if file == &map.filename => Some(Target::Line(*line)),
            None => Some(Target::Unknown),
            // A location in another file (a Python location in MLIR input)
            // cannot be annotated.
            Some(_) => None,
        };
        let hit = expected.iter_mut().find(|e| {
            !e.matched
                && e.severity == d.severity
                && Some(e.target) == target
                && d.message.contains(&e.text)
        });
        match hit {
            Some(e) => e.matched = true,
            None => {
                let alone = Diag {
                    severity: Severity::Error,
                    at: d.at.clone(),
                    message: format!("unexpected {}: {}", d.severity, d.message),
                    notes: Vec::new(),
                };
                failures.push(alone.render(map));
            }
        }
    }
    for e in expected.iter().filter(|e| !e.matched) {
        failures.push(format!(
            "{}:{}:{}: error: expected {} \"{}\" was not produced",
            map.filename, e.line, e.col, e.severity, e.text
        ));
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(text: &str) -> Vec<(Severity, Target, String)> {
        parse_expectations(text)
            .unwrap()
            .into_iter()
            .map(|e| (e.severity, e.target, e.text))
            .collect()
    }

    #[test]
    fn designators() {
        let text = "a\n// expected-error @+1 {{one}}\nb\n// expected-note @-2 {{two}}\n\
                    c // expected-warning {{three {{nested}}}}\n// expected-error @above {{four}}\n\
                    // expected-remark @below {{five}}\n// expected-error @unknown {{six}}\nd\n";
        assert_eq!(
            targets(text),
            vec![
                (Severity::Error, Target::Line(3), "one".into()),
                (Severity::Note, Target::Line(2), "two".into()),
                (
                    Severity::Warning,
                    Target::Line(5),
                    "three {{nested}}".into()
                ),
                // As in mlir-opt, a line holding an annotation is never the
                // target of `@above`, even when it also holds code.
                (Severity::Error, Target::Line(3), "four".into()),
                (Severity::Remark, Target::Line(9), "five".into()),
                (Severity::Error, Target::Unknown, "six".into()),
            ]
        );
    }

    #[test]
    fn bad_annotations() {
        assert!(parse_expectations("// expected-error @+5 {{x}}\n").is_err());
        assert!(parse_expectations("// expected-error-re {{x}}\n").is_err());
        assert!(parse_expectations("// expected-error @below {{x}}\n").is_err());
        assert!(parse_expectations("// expected-error @x {{y}}\n").is_err());
        // Prose mentioning an annotation is not one.
        assert!(parse_expectations("// an expected-error line\n")
            .unwrap()
            .is_empty());
        // Not a severity: not an annotation.
        assert!(parse_expectations("// expected-foo {{x}}\n")
            .unwrap()
            .is_empty());
    }

    fn diag(line: u32, message: &str) -> Diag {
        Diag {
            severity: Severity::Error,
            at: Some(("t.mlir".into(), line, 3)),
            message: message.into(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn matching() {
        let map = SourceMap::new("t.mlir", "x\n// expected-error @-1 {{bad op}}\n");
        assert!(verify(&[diag(1, "a bad op here")], &map).is_empty());
        // Wrong line: one unexpected, one not produced.
        let f = verify(&[diag(2, "a bad op here")], &map);
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f[0].starts_with("t.mlir:2:3: error: unexpected error: a bad op here"));
        assert!(f[1].contains("expected error \"bad op\" was not produced"));
        // Nothing emitted.
        assert_eq!(verify(&[], &map).len(), 1);
        // Emitted twice: the second is unexpected.
        assert_eq!(
            verify(&[diag(1, "bad op"), diag(1, "bad op")], &map).len(),
            1
        );
    }
}
