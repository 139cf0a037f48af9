/* LLVM's own cost for a node's module, with nothing of cfuncc around it
 * (scripts/llvm-floor builds and runs this; docs/startup.md).
 *
 *   llvm-floor FILE.ll ROUNDS
 *
 * Reads FILE.ll (the module cfuncc hands to LLVM: `cfuncc compile --emit
 * llvm-ir-unopt`) ROUNDS times, each into a fresh LLVMContext, and runs on
 * it what cfuncc runs: `default<O2>` with a target machine for the host CPU
 * and its features, then code generation to an object in memory. Prints one
 * line: the first round's optimisation and code generation (the cold costs
 * a one-shot process pays), then the medians of the other rounds (warm),
 * in milliseconds. Parsing the text is not timed. The fault and layout
 * accessors (functions named `*_fault`, `*_layout`) are deleted first:
 * cfuncc emits them as two instructions of assembly each, not through LLVM.
 */
#include <llvm-c/Core.h>
#include <llvm-c/IRReader.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int ends_with(const char *s, size_t n, const char *tail) {
    size_t t = strlen(tail);
    return n >= t && memcmp(s + n - t, tail, t) == 0;
}

/* Deletes the accessors, which cfuncc does not hand to LLVM's passes. */
static void drop_accessors(LLVMModuleRef m) {
    LLVMValueRef f = LLVMGetFirstFunction(m);
    while (f) {
        LLVMValueRef next = LLVMGetNextFunction(f);
        size_t n;
        const char *name = LLVMGetValueName2(f, &n);
        if ((ends_with(name, n, "_fault") || ends_with(name, n, "_layout")) &&
            !LLVMGetFirstUse(f))
            LLVMDeleteFunction(f);
        f = next;
    }
}

static void die(const char *what, char *msg) {
    fprintf(stderr, "llvm-floor: %s: %s\n", what, msg ? msg : "?");
    exit(1);
}

int main(int argc, char **argv) {
    if (argc != 3 || atoi(argv[2]) < 2) {
        fprintf(stderr, "usage: llvm-floor FILE.ll ROUNDS (ROUNDS >= 2)\n");
        return 2;
    }
    int rounds = atoi(argv[2]);
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeX86AsmParser();
    char *triple = LLVMGetDefaultTargetTriple();
    char *err = NULL;
    LLVMTargetRef target;
    if (LLVMGetTargetFromTriple(triple, &target, &err)) die("target", err);
    char *cpu = LLVMGetHostCPUName(), *features = LLVMGetHostCPUFeatures();
    LLVMTargetMachineRef tm = LLVMCreateTargetMachine(
        target, triple, cpu, features, LLVMCodeGenLevelDefault, LLVMRelocPIC,
        LLVMCodeModelDefault);
    double *opt = calloc(rounds, sizeof(double)), *cg = calloc(rounds, sizeof(double));
    for (int i = 0; i < rounds; i++) {
        LLVMContextRef ctx = LLVMContextCreate();
        LLVMMemoryBufferRef buf;
        if (LLVMCreateMemoryBufferWithContentsOfFile(argv[1], &buf, &err)) die(argv[1], err);
        LLVMModuleRef m;
        if (LLVMParseIRInContext(ctx, buf, &m, &err)) die(argv[1], err);
        drop_accessors(m);
        double t0 = now_ms();
        LLVMPassBuilderOptionsRef o = LLVMCreatePassBuilderOptions();
        LLVMErrorRef e = LLVMRunPasses(m, "default<O2>", tm, o);
        if (e) die("default<O2>", LLVMGetErrorMessage(e));
        LLVMDisposePassBuilderOptions(o);
        double t1 = now_ms();
        LLVMMemoryBufferRef out;
        if (LLVMTargetMachineEmitToMemoryBuffer(tm, m, LLVMObjectFile, &err, &out))
            die("codegen", err);
        double t2 = now_ms();
        opt[i] = t1 - t0;
        cg[i] = t2 - t1;
        LLVMDisposeMemoryBuffer(out);
        LLVMDisposeModule(m);
        LLVMContextDispose(ctx);
    }
    double first_opt = opt[0], first_cg = cg[0];
    printf("%.3f %.3f %.3f %.3f\n", first_opt, first_cg, median(opt + 1, rounds - 1),
           median(cg + 1, rounds - 1));
    return 0;
}
