import NIOCore

/// Writes the extended-query messages of PostgreSQL's frontend protocol (version 3) that the
/// pipelined connection sends, several to one buffer, so that they travel in one write.
struct FrontendMessages {
    private(set) var buffer: ByteBuffer

    init(allocator: ByteBufferAllocator = ByteBufferAllocator()) {
        buffer = allocator.buffer(capacity: 512)
    }

    /// Parse: prepares `sql` under `name` ("" for the unnamed statement) with these parameter types.
    mutating func parse(name: String, sql: String, parameterTypes: [UInt32]) {
        message("P") { buffer in
            buffer.writeNullTerminatedString(name)
            buffer.writeNullTerminatedString(sql)
            buffer.writeInteger(Int16(parameterTypes.count))
            for type in parameterTypes { buffer.writeInteger(type) }
        }
    }

    /// Bind: the unnamed portal over statement `name`, every value in binary, every result in text.
    mutating func bind(statement name: String, values: [BindValue]) {
        message("B") { buffer in
            buffer.writeNullTerminatedString("")
            buffer.writeNullTerminatedString(name)
            buffer.writeInteger(Int16(1))
            buffer.writeInteger(Int16(1))
            buffer.writeInteger(Int16(values.count))
            for value in values { value.write(into: &buffer) }
            buffer.writeInteger(Int16(0))
        }
    }

    /// Describe the unnamed portal: its columns come back before its rows.
    mutating func describePortal() {
        message("D") { buffer in
            buffer.writeInteger(UInt8(ascii: "P"))
            buffer.writeNullTerminatedString("")
        }
    }

    /// Execute the unnamed portal to its end.
    mutating func execute() {
        message("E") { buffer in
            buffer.writeNullTerminatedString("")
            buffer.writeInteger(Int32(0))
        }
    }

    /// Flush: the server sends what it has, and the transaction stays open.
    mutating func flush() { message("H") { _ in } }

    /// Sync: ends the batch of messages (and the transaction, unless `BEGIN` opened a block).
    mutating func sync() { message("S") { _ in } }

    private mutating func message(_ code: Unicode.Scalar, _ body: (inout ByteBuffer) -> Void) {
        buffer.writeInteger(UInt8(ascii: code))
        let start = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        body(&buffer)
        buffer.setInteger(Int32(buffer.writerIndex - start), at: start)
    }
}
