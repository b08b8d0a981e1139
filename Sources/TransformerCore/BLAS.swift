#if canImport(Glibc)
import Glibc
#endif

/// `cblas_dgemm`'s C signature (OpenBLAS with 32-bit integers).
private typealias DGEMM =
    @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Double,
        UnsafePointer<Double>?, Int32, UnsafePointer<Double>?, Int32, Double,
        UnsafeMutablePointer<Double>?, Int32
    ) -> Void

/// OpenBLAS's `cblas_dgemm`, found once in the process (the core links `libopenblas`).
///
/// Bound through `dlsym` rather than a Clang module so that programs importing the core need no
/// module map for it.
nonisolated(unsafe) private let dgemm: DGEMM = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "cblas_dgemm") else {
        fatalError("TransformerCore: cblas_dgemm not found; install libopenblas-dev")
    }
    return unsafeBitCast(symbol, to: DGEMM.self)
}()

private let rowMajor: Int32 = 101, noTrans: Int32 = 111, trans: Int32 = 112

/// The matrix product through OpenBLAS: C = op(A)·op(B).
///
/// Notebook programs are run with `OPENBLAS_CORETYPE` and `OPENBLAS_NUM_THREADS=1` pinned by the
/// runner, so a product gives the same bits on every run and every machine of a kind.
/// - Complexity: O(m·n·k).
func gemm(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false) -> Matrix {
    let m = transposeA ? a.cols : a.rows
    let k = transposeA ? a.rows : a.cols
    let n = transposeB ? b.rows : b.cols
    if m == 0 || n == 0 || k == 0 { return Matrix(rows: m, cols: n, values: [Double](repeating: 0, count: m * n)) }
    // β = 0: dgemm writes every entry of C without reading it, so C need not be zeroed first.
    let c = [Double](unsafeUninitializedCapacity: m * n) { pc, count in
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                dgemm(
                    rowMajor, transposeA ? trans : noTrans, transposeB ? trans : noTrans,
                    Int32(m), Int32(n), Int32(k), 1.0,
                    pa.baseAddress, Int32(max(1, a.cols)),
                    pb.baseAddress, Int32(max(1, b.cols)), 0.0,
                    pc.baseAddress, Int32(max(1, n)))
            }
        }
        count = m * n
    }
    return Matrix(rows: m, cols: n, values: c)
}

/// C = α·op(A)·op(B) + β·C on raw row-major storage with leading dimensions: a block of a
/// larger matrix (one head of one sequence) without copying it out.
@inline(__always)
func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    _ a: UnsafePointer<Double>, lda: Int, _ b: UnsafePointer<Double>, ldb: Int, beta: Double,
    _ c: UnsafeMutablePointer<Double>, ldc: Int
) {
    if m == 0 || n == 0 || k == 0 { return }
    dgemm(
        rowMajor, transposeA ? trans : noTrans, transposeB ? trans : noTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
