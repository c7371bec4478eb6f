import CBLAS
import Foundation

/// Which kernels OpenBLAS runs. A DYNAMIC_ARCH build (Debian's) picks them from the CPU's family and model when the
/// library loads; a virtual machine that reports a generic model ("Intel(R) Xeon(R) Processor") gets the Prescott
/// (SSE3) kernels although the CPU has AVX2 or AVX-512, and every GEMM runs 2–4× slower. `OPENBLAS_CORETYPE`
/// overrides the choice, but only before the library loads, so `glassbox` re-executes itself once with it set.
public enum BLASKernels {
    /// The kernel family OpenBLAS chose ("Prescott", "Haswell", "SkylakeX", …).
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Families without AVX: what OpenBLAS falls back to when it does not recognise the CPU.
    static let preAVX: Set<String> = [
        "unknown", "katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2", "penryn", "dunnington",
        "nehalem", "athlon", "opteron", "opteron_sse3", "barcelona", "nano"
    ]

    /// The best family the CPU's feature flags (as `/proc/cpuinfo` lists them) support: SkylakeX (AVX-512 F, CD,
    /// BW, DQ, VL), Haswell (AVX2 and FMA), Sandybridge (AVX), or nil.
    public static func bestCore(flags: Set<String>) -> String? {
        if flags.isSuperset(of: ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]) { return "SkylakeX" }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        if flags.contains("avx") { return "Sandybridge" }
        return nil
    }

    /// The family to run with instead of `current`: nil unless OpenBLAS fell back to a pre-AVX family on a CPU with
    /// AVX and nobody chose one (`OPENBLAS_CORETYPE` unset). `flags` is read only in that case.
    public static func replacement(
        current: String, flags: @autoclosure () -> Set<String>, environment: [String: String]
    ) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, preAVX.contains(current.lowercased()) else { return nil }
        return bestCore(flags: flags())
    }

    /// The feature flags of the first CPU in `/proc/cpuinfo` (empty elsewhere).
    public static func cpuFlags(cpuinfo: String) -> Set<String> {
        for line in cpuinfo.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }

    /// Re-executes this program with `OPENBLAS_CORETYPE` set when OpenBLAS chose pre-AVX kernels on a CPU that has
    /// AVX; returns (doing nothing) otherwise, or if the re-execution fails. Call first thing in `main`.
    public static func reexecuteIfMisdetected() {
        // /proc/cpuinfo is read only when OpenBLAS fell back (a normal start costs one call into OpenBLAS).
        guard
            let core = replacement(
                current: coreName,
                flags: cpuFlags(cpuinfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""),
                environment: ProcessInfo.processInfo.environment)
        else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        unsetenv("OPENBLAS_CORETYPE") // exec failed: carry on with what OpenBLAS chose
    }
}
