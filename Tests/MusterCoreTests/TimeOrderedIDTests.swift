import Foundation
import MusterCore
import Testing

@Suite("Time-ordered ids")
struct TimeOrderedIDTests {
    @Test("version 7 layout: the time in milliseconds first, then the version and variant bits")
    func layout() {
        // given
        let now = Date(timeIntervalSince1970: 1_795_000_000.123)
        // when
        let id = TimeOrderedID.make(at: now)
        // then
        let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
        let millis = bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(millis == 1_795_000_000_123)
        #expect(bytes[6] >> 4 == 7)
        #expect(bytes[8] >> 6 == 0b10)
    }

    @Test("ids of later milliseconds sort after earlier ones, as text too")
    func ordered() {
        // given: moments 2 ms apart (ids within one millisecond are in random order)
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        // when
        let ids = (0..<2_000).map { TimeOrderedID.make(at: start.addingTimeInterval(Double($0) * 0.002)).text }
        // then
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
    }

    @Test("text is exactly Foundation's uuidString")
    func text() {
        for _ in 0..<1_000 {
            let id = UUID()
            #expect(id.text == id.uuidString)
        }
        let fixed = UUID(uuidString: "00FF10AB-0000-4C3D-8E9F-A0B1C2D3E4F5")!
        #expect(fixed.text == "00FF10AB-0000-4C3D-8E9F-A0B1C2D3E4F5")
    }

    @Test("ids made in the same millisecond on many threads never repeat, and their random bits vary")
    func unique() async {
        // given
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        // when: four tasks share the process-wide generator
        let ids = await withTaskGroup(of: [UUID].self) { group in
            for _ in 0..<4 { group.addTask { (0..<25_000).map { _ in TimeOrderedID.make(at: now) } } }
            return await group.reduce(into: []) { $0 += $1 }
        }
        // then
        #expect(Set(ids).count == 100_000)
        let lastBytes = Set(ids.map { $0.uuid.15 })
        #expect(lastBytes.count == 256)
    }
}
