/// A compiled label regex and the machine that runs it: every thread of the match advances
/// together, one scalar at a time, and a thread that reaches an instruction another already holds
/// is dropped. So a run visits each instruction at most once per scalar.
struct RegexProgram: Sendable {
    enum Instruction: Sendable, Equatable {
        case scalar(UInt32)
        /// Matches a scalar whose case-folded form is this.
        case foldedScalar(UInt32)
        case set(Int)
        case any
        case anyButNewline
        /// Continue at both; the first is tried first only in backtracking engines, not here.
        case split(Int, Int)
        case jump(Int)
        case assertion(RegexAssertion)
        case match
    }

    private(set) var instructions: [Instruction] = []
    private(set) var sets: [RegexClass] = []
    private let limit: Int

    init(_ node: RegexNode, limit: Int) throws(LabelRegex.SyntaxError) {
        self.limit = limit
        try emit(node)
        try append(.match)
    }

    private mutating func append(_ instruction: Instruction) throws(LabelRegex.SyntaxError) {
        guard instructions.count < limit else {
            throw LabelRegex.SyntaxError(
                reason: "expression too large (more than \(limit) steps once repetitions are counted out)", offset: 0)
        }
        instructions.append(instruction)
    }

    private mutating func emit(_ node: RegexNode) throws(LabelRegex.SyntaxError) {
        switch node {
        case .empty:
            break
        case .scalar(let value, let foldsCase):
            try append(foldsCase && CaseFolding.forms(of: value).count > 1 ? .foldedScalar(CaseFolding.folded(value)) : .scalar(value))
        case .set(let set):
            sets.append(set)
            try append(.set(sets.count - 1))
        case .any(let newline):
            try append(newline ? .any : .anyButNewline)
        case .assertion(let assertion):
            try append(.assertion(assertion))
        case .concat(let nodes):
            for node in nodes { try emit(node) }
        case .alternate(let branches):
            var exits: [Int] = []
            for (index, branch) in branches.enumerated() {
                guard index < branches.count - 1 else {
                    try emit(branch)
                    break
                }
                let split = instructions.count
                try append(.split(split + 1, -1))
                try emit(branch)
                exits.append(instructions.count)
                try append(.jump(-1))
                instructions[split] = .split(split + 1, instructions.count)
            }
            for exit in exits { instructions[exit] = .jump(instructions.count) }
        case .repeat(let body, let min, let max):
            for _ in 0..<min { try emit(body) }
            if let max {
                // Each optional copy may be skipped, and skipping one skips the rest.
                var skips: [Int] = []
                for _ in min..<max {
                    skips.append(instructions.count)
                    try append(.split(instructions.count + 1, -1))
                    try emit(body)
                }
                for skip in skips { instructions[skip] = .split(skip + 1, instructions.count) }
            } else {
                let loop = instructions.count
                try append(.split(loop + 1, -1))
                try emit(body)
                try append(.jump(loop))
                instructions[loop] = .split(loop + 1, instructions.count)
            }
        }
    }

    /// Whether the whole of `text` matches; `steps` counts the instructions visited.
    func run(_ text: String, steps: inout Int) -> Bool {
        var current = ThreadList(capacity: instructions.count)
        var next = ThreadList(capacity: instructions.count)
        var scalars = text.unicodeScalars.makeIterator()
        var before: UInt32?
        var after = scalars.next()?.value
        var pending: [Int] = []
        follow(from: 0, into: &current, before: before, after: after, pending: &pending, steps: &steps)
        while let scalar = after {
            let following = scalars.next()?.value
            next.clear()
            for pc in current.threads where consumes(instructions[pc], scalar) {
                follow(from: pc + 1, into: &next, before: scalar, after: following, pending: &pending, steps: &steps)
            }
            guard !next.threads.isEmpty else { return false }
            swap(&current, &next)
            before = scalar
            after = following
        }
        return current.threads.contains { instructions[$0] == .match }
    }

    private func consumes(_ instruction: Instruction, _ scalar: UInt32) -> Bool {
        switch instruction {
        case .scalar(let value): value == scalar
        case .foldedScalar(let value): CaseFolding.folded(scalar) == value
        case .set(let index): sets[index].contains(scalar)
        case .any: true
        case .anyButNewline: scalar != 0x0A
        case .split, .jump, .assertion, .match: false
        }
    }

    /// Adds the threads reachable from `pc` without consuming a scalar, at the position between
    /// `before` and `after`; `pending` is scratch space, kept across calls.
    private func follow(
        from pc: Int, into list: inout ThreadList, before: UInt32?, after: UInt32?, pending: inout [Int], steps: inout Int
    ) {
        pending.append(pc)
        while let pc = pending.popLast() {
            guard list.mark(pc) else { continue }
            steps += 1
            switch instructions[pc] {
            case .split(let first, let second):
                pending.append(second)
                pending.append(first)
            case .jump(let target):
                pending.append(target)
            case .assertion(let assertion):
                if assertion.holds(before: before, after: after) { pending.append(pc + 1) }
            case .scalar, .foldedScalar, .set, .any, .anyButNewline, .match:
                list.threads.append(pc)
            }
        }
    }
}

/// The threads at one position, each instruction at most once.
private struct ThreadList {
    /// Instructions that consume a scalar (or match), in the order reached.
    var threads: [Int] = []
    /// Every instruction reached at this position, so `clear` resets only those.
    private var visited: [Int] = []
    private var seen: [Bool]

    init(capacity: Int) {
        seen = Array(repeating: false, count: capacity)
    }

    /// Marks `pc` as reached; false when it already was.
    mutating func mark(_ pc: Int) -> Bool {
        guard !seen[pc] else { return false }
        seen[pc] = true
        visited.append(pc)
        return true
    }

    mutating func clear() {
        for pc in visited { seen[pc] = false }
        visited.removeAll(keepingCapacity: true)
        threads.removeAll(keepingCapacity: true)
    }
}
