/// A QR code (ISO/IEC 18004, model 2) of a short text, in byte mode at error-correction level M, the smallest version
/// that holds it. Made for the two-step enrolment page, whose `otpauth://` link an authenticator app scans; drawn as
/// SVG by `svg(moduleSize:)` so the page needs no script and no image file.
public struct QRCode: Sendable, Equatable {
    /// Modules per side: 21 for version 1, four more for each version after it.
    public let size: Int
    public let version: Int
    /// The mask pattern (0–7) that scored lowest on the standard's penalty rules.
    public let mask: Int
    /// Row-major: `dark[y * size + x]`.
    private let dark: [Bool]

    public func isDark(x: Int, y: Int) -> Bool { self.dark[y * self.size + x] }

    /// The code of `text` as UTF-8 bytes, or nil when it is longer than version 40 holds at level M (2,331 bytes).
    public init?(text: String) {
        let bytes = Array(text.utf8)
        guard let version = (1...40).first(where: { Self.dataCapacityBits(version: $0) >= Self.bitsNeeded(bytes, $0) })
        else { return nil }
        let codewords = Self.interleavedCodewords(Self.dataCodewords(bytes, version: version), version: version)
        var grid = ModuleGrid(version: version)
        grid.placeData(codewords)
        var best: (mask: Int, grid: ModuleGrid, penalty: Int)?
        for mask in 0..<8 {
            var candidate = grid
            candidate.applyMask(mask)
            candidate.drawFormatBits(mask: mask)
            let penalty = candidate.penalty()
            if best == nil || penalty < best!.penalty { best = (mask, candidate, penalty) }
        }
        self.version = version
        self.size = grid.size
        self.mask = best!.mask
        self.dark = best!.grid.dark
    }

    /// The code as an SVG image with the four-module quiet zone the standard asks for around it, one path of dark
    /// squares on a white ground, `moduleSize` pixels a module.
    public func svg(moduleSize: Int = 5, label: String) -> String {
        let side = self.size + 8
        var path = ""
        for y in 0..<self.size {
            for x in 0..<self.size where self.isDark(x: x, y: y) {
                path += "M\(x + 4) \(y + 4)h1v1h-1z"
            }
        }
        let escapedLabel = label.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "\"", with: "&quot;")
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" width="\(side * moduleSize)" \
            height="\(side * moduleSize)" role="img" aria-label="\(escapedLabel)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }

    // MARK: - Capacity and codewords

    /// Error-correction codewords per block at level M, by version (index 0 unused).
    static let eccPerBlock = [
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
        26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ]
    /// Blocks at level M, by version (index 0 unused).
    static let blockCount = [
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
        17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ]

    /// Modules left for codewords once the function patterns are drawn.
    static func rawDataModules(version: Int) -> Int {
        var modules = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            modules -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { modules -= 36 }
        }
        return modules
    }

    static func totalCodewords(version: Int) -> Int { self.rawDataModules(version: version) / 8 }

    static func dataCapacityBits(version: Int) -> Int {
        (self.totalCodewords(version: version) - self.eccPerBlock[version] * self.blockCount[version]) * 8
    }

    private static func countBits(_ version: Int) -> Int { version <= 9 ? 8 : 16 }

    private static func bitsNeeded(_ bytes: [UInt8], _ version: Int) -> Int {
        bytes.count < (1 << self.countBits(version)) ? 4 + self.countBits(version) + bytes.count * 8 : .max
    }

    /// Mode, count, bytes, terminator and the alternating pad bytes, filling the version's data capacity.
    static func dataCodewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: self.countBits(version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        let capacity = self.dataCapacityBits(version: version)
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count * 8 < capacity {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// The data split into the version's blocks, each followed by its Reed–Solomon codewords, read out column by
    /// column across the blocks as the standard lays them on the symbol.
    static func interleavedCodewords(_ data: [UInt8], version: Int) -> [UInt8] {
        let blocks = self.blockCount[version]
        let eccLength = self.eccPerBlock[version]
        let total = self.totalCodewords(version: version)
        let shortBlocks = blocks - total % blocks
        let shortLength = total / blocks
        let generator = ReedSolomon.generator(degree: eccLength)
        var dataBlocks: [[UInt8]] = []
        var eccBlocks: [[UInt8]] = []
        var offset = 0
        for index in 0..<blocks {
            let length = shortLength - eccLength + (index < shortBlocks ? 0 : 1)
            let block = Array(data[offset..<offset + length])
            offset += length
            dataBlocks.append(block)
            eccBlocks.append(ReedSolomon.remainder(of: block, by: generator))
        }
        var result: [UInt8] = []
        result.reserveCapacity(total)
        for column in 0...(shortLength - eccLength) {
            for block in dataBlocks where column < block.count { result.append(block[column]) }
        }
        for column in 0..<eccLength {
            for block in eccBlocks { result.append(block[column]) }
        }
        return result
    }
}

/// Bits appended most significant first, read back as bytes.
private struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { self.bits.count }

    mutating func append(_ value: Int, count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) { self.bits.append((value >> shift) & 1 == 1) }
    }

    var bytes: [UInt8] {
        stride(from: 0, to: self.bits.count, by: 8).map { start in
            self.bits[start..<start + 8].reduce(UInt8(0)) { ($0 << 1) | ($1 ? 1 : 0) }
        }
    }
}

/// Reed–Solomon error correction over GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1.
enum ReedSolomon {
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var product = 0
        var x = Int(a)
        var y = Int(b)
        while y > 0 {
            if y & 1 == 1 { product ^= x }
            x <<= 1
            if x & 0x100 != 0 { x ^= 0x11D }
            y >>= 1
        }
        return UInt8(product)
    }

    /// The coefficients, highest power first and without the leading 1, of (x − α⁰)(x − α¹)…(x − α^(degree−1)).
    static func generator(degree: Int) -> [UInt8] {
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<degree {
                coefficients[index] = self.multiply(coefficients[index], root)
                if index + 1 < degree { coefficients[index] ^= coefficients[index + 1] }
            }
            root = self.multiply(root, 2)
        }
        return coefficients
    }

    /// The error-correction codewords of `data`: its remainder after division by the generator.
    static func remainder(of data: [UInt8], by generator: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for index in result.indices { result[index] ^= self.multiply(generator[index], factor) }
        }
        return result
    }
}

/// The symbol being drawn: the function patterns first, then the data in its zigzag, then a mask and the format bits.
private struct ModuleGrid {
    let size: Int
    let version: Int
    var dark: [Bool]
    /// Modules of the function patterns, which data and masks leave alone.
    var reserved: [Bool]

    init(version: Int) {
        self.version = version
        self.size = version * 4 + 17
        self.dark = Array(repeating: false, count: self.size * self.size)
        self.reserved = self.dark
        self.drawFunctionPatterns()
    }

    mutating func set(_ x: Int, _ y: Int, _ isDark: Bool) {
        self.dark[y * self.size + x] = isDark
        self.reserved[y * self.size + x] = true
    }

    func isDark(_ x: Int, _ y: Int) -> Bool { self.dark[y * self.size + x] }

    private mutating func drawFunctionPatterns() {
        for index in 0..<self.size {
            self.set(6, index, index % 2 == 0)
            self.set(index, 6, index % 2 == 0)
        }
        for (x, y) in [(3, 3), (self.size - 4, 3), (3, self.size - 4)] { self.drawFinder(centreX: x, centreY: y) }
        let centres = self.alignmentCentres()
        for cx in centres {
            for cy in centres {
                let overlapsFinder =
                    (cx == 6 && cy == 6) || (cx == 6 && cy == centres.last!) || (cx == centres.last! && cy == 6)
                if !overlapsFinder { self.drawAlignment(centreX: cx, centreY: cy) }
            }
        }
        // Reserve the format areas (drawn for real once the mask is known) and the dark module beside them.
        self.drawFormatBits(mask: 0)
        self.drawVersionBits()
    }

    private mutating func drawFinder(centreX: Int, centreY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centreX + dx
                let y = centreY + dy
                guard (0..<self.size).contains(x), (0..<self.size).contains(y) else { continue }
                let ring = max(abs(dx), abs(dy))
                self.set(x, y, ring != 2 && ring != 4)
            }
        }
    }

    private mutating func drawAlignment(centreX: Int, centreY: Int) {
        for dy in -2...2 {
            for dx in -2...2 { self.set(centreX + dx, centreY + dy, max(abs(dx), abs(dy)) != 1) }
        }
    }

    /// Where the alignment patterns' centres fall on each axis: 6, then evenly spaced up to the far edge.
    private func alignmentCentres() -> [Int] {
        guard self.version > 1 else { return [] }
        let count = self.version / 7 + 2
        let step = self.version == 32 ? 26 : (self.version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        var centres = [6]
        for index in 0..<(count - 1) { centres.insert(self.size - 7 - index * step, at: 1) }
        return centres
    }

    /// Level M's two bits (00) and the mask, with their BCH(15,5) check bits, twice around the finders.
    mutating func drawFormatBits(mask: Int) {
        let data = mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        let bits = ((data << 10) | remainder) ^ 0x5412
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
        for index in 0...5 { self.set(8, index, bit(index)) }
        self.set(8, 7, bit(6))
        self.set(8, 8, bit(7))
        self.set(7, 8, bit(8))
        for index in 9..<15 { self.set(14 - index, 8, bit(index)) }
        for index in 0..<8 { self.set(self.size - 1 - index, 8, bit(index)) }
        for index in 8..<15 { self.set(8, self.size - 15 + index, bit(index)) }
        self.set(8, self.size - 8, true)
    }

    /// From version 7 the version number, with its BCH(18,6) check bits, beside the two far finders.
    private mutating func drawVersionBits() {
        guard self.version >= 7 else { return }
        var remainder = self.version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        let bits = (self.version << 12) | remainder
        for index in 0..<18 {
            let isDark = (bits >> index) & 1 == 1
            let far = self.size - 11 + index % 3
            let near = index / 3
            self.set(far, near, isDark)
            self.set(near, far, isDark)
        }
    }

    /// The codewords' bits in the standard's order: two columns at a time from the right, up then down, skipping the
    /// vertical timing pattern and every reserved module.
    mutating func placeData(_ codewords: [UInt8]) {
        var bitIndex = 0
        let totalBits = codewords.count * 8
        var right = self.size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = ((right + 1) & 2) == 0
            for step in 0..<self.size {
                let y = upward ? self.size - 1 - step : step
                for x in [right, right - 1] where !self.reserved[y * self.size + x] {
                    if bitIndex < totalBits {
                        self.dark[y * self.size + x] = (codewords[bitIndex >> 3] >> (7 - (bitIndex & 7))) & 1 == 1
                        bitIndex += 1
                    }
                }
            }
            right -= 2
        }
    }

    mutating func applyMask(_ mask: Int) {
        for y in 0..<self.size {
            for x in 0..<self.size where !self.reserved[y * self.size + x] {
                let flips: Bool
                switch mask {
                case 0: flips = (x + y) % 2 == 0
                case 1: flips = y % 2 == 0
                case 2: flips = x % 3 == 0
                case 3: flips = (x + y) % 3 == 0
                case 4: flips = (x / 3 + y / 2) % 2 == 0
                case 5: flips = x * y % 2 + x * y % 3 == 0
                case 6: flips = (x * y % 2 + x * y % 3) % 2 == 0
                default: flips = ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if flips { self.dark[y * self.size + x].toggle() }
            }
        }
    }

    /// The standard's four penalties: runs of five or more, 2×2 blocks, finder-like patterns, and dark/light balance.
    func penalty() -> Int {
        var total = 0
        let finderLike: [Bool] = [true, false, true, true, true, false, true]
        for horizontal in [true, false] {
            for line in 0..<self.size {
                var modules: [Bool] = []
                modules.reserveCapacity(self.size)
                for along in 0..<self.size {
                    modules.append(horizontal ? self.isDark(along, line) : self.isDark(line, along))
                }
                var runLength = 1
                for index in 1...modules.count {
                    if index < modules.count && modules[index] == modules[index - 1] {
                        runLength += 1
                    } else {
                        if runLength >= 5 { total += runLength - 2 }
                        runLength = 1
                    }
                }
                // A finder-like 1:1:3:1:1 with four light modules (or the edge) on one side.
                for start in 0...(modules.count - 7) where Array(modules[start..<start + 7]) == finderLike {
                    let lightBefore = (max(0, start - 4)..<start).allSatisfy { !modules[$0] }
                    let lightAfter = (start + 7..<min(modules.count, start + 11)).allSatisfy { !modules[$0] }
                    if lightBefore || lightAfter { total += 40 }
                }
            }
        }
        for y in 0..<(self.size - 1) {
            for x in 0..<(self.size - 1) {
                let colour = self.isDark(x, y)
                if colour == self.isDark(x + 1, y) && colour == self.isDark(x, y + 1)
                    && colour == self.isDark(x + 1, y + 1)
                {
                    total += 3
                }
            }
        }
        let darkCount = self.dark.filter { $0 }.count
        let percent = darkCount * 100 / self.dark.count
        total += abs(percent - 50) / 5 * 10
        return total
    }
}
