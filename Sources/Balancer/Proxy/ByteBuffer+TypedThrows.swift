import NIOCore

extension ByteBuffer {
    /// `withUnsafeReadableBytes` for a body that throws a typed error: NIO's version `rethrows`,
    /// which widens the error to `any Error`.
    func withUnsafeReadableBytesTyped<Value, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Value
    ) throws(Failure) -> Value {
        let outcome: Result<Value, Failure> = withUnsafeReadableBytes { bytes in
            do throws(Failure) {
                return .success(try body(bytes))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }
}
