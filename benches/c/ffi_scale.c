/* The body of the @extern `scale` of benches/nodes/ffi_scaled.py: compiled
 * to bitcode for --link-bitcode, and to a shared library that provides the
 * symbol to the external-call variant. */
double scale(double x) { return x * 1.5 + 0.25; }
