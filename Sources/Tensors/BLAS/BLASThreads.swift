import CBLAS

/// The number of threads OpenBLAS uses for one call.
///
/// Results differ in the last bits between thread counts, so tests and benchmarks set it explicitly.
public enum BLASThreads {
    /// Sets the OpenBLAS thread count for subsequent calls (process-wide: OpenBLAS has one setting).
    public static func set(_ count: Int) {
        openblas_set_num_threads(Int32(min(max(1, count), 1024)))
    }

    /// The OpenBLAS thread count now in force.
    public static var current: Int { Int(openblas_get_num_threads()) }

    /// OpenBLAS's build description (version, kernel family, thread limit).
    public static var configuration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }
}
