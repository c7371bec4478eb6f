import Tensors
import Testing

/// The choice of OpenBLAS kernels by CPU features when OpenBLAS itself falls back to pre-AVX ones.
@Suite("OpenBLAS kernel choice")
struct BLASKernelsTests {
    static let cpuinfo = """
        processor\t: 0
        model name\t: Intel(R) Xeon(R) Processor
        flags\t\t: fpu sse sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl xsave
        processor\t: 1
        flags\t\t: fpu sse
        """

    @Test("the flags of the first CPU; the best family they support")
    func flags() {
        let flags = BLASKernels.cpuFlags(cpuinfo: Self.cpuinfo)
        #expect(flags.contains("avx512bw") && !flags.contains("processor") && flags.count == 12)
        #expect(BLASKernels.bestCore(flags: flags) == "SkylakeX")
        #expect(BLASKernels.bestCore(flags: ["avx", "avx2", "fma", "avx512f"]) == "Haswell")
        #expect(BLASKernels.bestCore(flags: ["avx", "avx2"]) == "Sandybridge")
        #expect(BLASKernels.bestCore(flags: ["sse3"]) == nil)
        #expect(BLASKernels.cpuFlags(cpuinfo: "no flags here").isEmpty)
    }

    @Test("only a pre-AVX fallback on an AVX CPU is replaced, and never against OPENBLAS_CORETYPE")
    func replacement() {
        let avx2: Set<String> = ["avx", "avx2", "fma"]
        #expect(BLASKernels.replacement(current: "Prescott", flags: avx2, environment: [:]) == "Haswell")
        #expect(BLASKernels.replacement(current: "Core2", flags: avx2, environment: [:]) == "Haswell")
        #expect(BLASKernels.replacement(current: "Zen", flags: avx2, environment: [:]) == nil)
        #expect(BLASKernels.replacement(current: "Haswell", flags: avx2, environment: [:]) == nil)
        #expect(
            BLASKernels.replacement(current: "Prescott", flags: avx2, environment: ["OPENBLAS_CORETYPE": "Core2"])
                == nil)
        #expect(BLASKernels.replacement(current: "Prescott", flags: ["sse3"], environment: [:]) == nil)
    }
}
