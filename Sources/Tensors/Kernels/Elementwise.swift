import Foundation

/// `out[i] = a[i] + b[i]` for `count` elements (`out` may alias either input).
public func addForward(
    _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    count: Int
) {
    for i in 0..<count { out[i] = a[i] + b[i] }
}

/// `out[i] = input[i] · factor` for `count` elements (`out` may alias `input`).
public func scaleForward(
    _ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, factor: Float,
    count: Int
) {
    for i in 0..<count { out[i] = input[i] * factor }
}

/// `out[i] = cap · tanh(input[i] / cap)` for `count` elements: logit soft-capping (`out` may alias `input`).
public func softcapForward(
    _ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, cap: Float,
    count: Int
) {
    for i in 0..<count { out[i] = cap * tanhf(input[i] / cap) }
}
