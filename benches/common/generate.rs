//! The generated node of the scaling benchmarks (`passes.rs`, one pass at
//! a time; `compile.rs`, the whole compile), shared by both.

/// A node of about `lines` lines (up to a block of 12 fewer) that uses every pass: Python arithmetic
/// (floor division, modulo, shifts, powers), resolved calls (`math.sqrt`,
/// `abs`, `float`, `int`), branches, loops, state, a list and a dict. It
/// reuses a few locals, as real code does, so its size grows by statements,
/// not by variables.
pub fn generate(lines: usize) -> String {
    let mut out: Vec<String> = [
        "import math",
        "",
        "",
        "def big(a: Signal[int], b: Signal[int], x: Signal[float], y: Signal[float]) -> Outputs(i=int, f=float, n=int):",
        "    s: State[int] = 0",
        "    t: State[float] = 0.0",
        "    xs: State[NumbaList] = create_new_list(float)",
        "    d: State[NumbaDict] = create_new_dict(int, float)",
        "    i0 = a",
        "    i1 = b",
        "    i2 = a + b",
        "    i3 = a - b",
        "    f0 = x",
        "    f1 = y",
        "    f2 = x + y",
        "    f3 = x * y",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut k = 0;
    while out.len() + 12 < lines {
        let (p, q, r) = (k % 4, (k + 1) % 4, (k + 2) % 4);
        out.extend([
            format!("    i{p} = i{q} // 3 + i{r} % 7"),
            format!("    f{p} = f{q} * 0.5 + math.sqrt(abs(f{r}))"),
            format!("    if i{p} > {}:", k % 50),
            format!("        i{p} = i{p} - (i{q} << 2) + (i{r} >> 1)"),
            "    else:".to_string(),
            format!("        f{p} = f{p} + float(i{q} ** 2)"),
            format!("    xs.append(f{p})"),
            format!("    d[i{p} % 16] = d.get(i{q} % 16, 0.0) + f{p}"),
            format!("    s = s + i{p}"),
            format!("    t = t * 0.9 + f{p} + float(len(xs))"),
            format!("    for j in range({}):", k % 3 + 1),
            format!("        i{r} = i{r} + j * int(f{q})"),
        ]);
        k += 1;
    }
    out.push("    return i0 + s, f0 + t, len(xs)".into());
    out.join("\n") + "\n"
}
