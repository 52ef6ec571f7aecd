import Foundation

/// Just enough of PNG to tell whether a screenshot shows anything: the pixels of an 8-bit RGB or
/// RGBA image (what Chromium writes), decompressed with a small inflate. No image library needed.
public struct PNGProbe: Sendable {
    public let width: Int
    public let height: Int
    /// Bytes per pixel (3 or 4).
    public let channels: Int
    public let pixels: [UInt8]

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public init(_ data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw Failure(description: "not a PNG")
        }
        var offset = 8
        var header: [UInt8] = []
        var compressed: [UInt8] = []
        while offset + 8 <= bytes.count {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            guard offset + 12 + length <= bytes.count else { throw Failure(description: "truncated \(type) chunk") }
            let body = bytes[offset + 8..<offset + 8 + length]
            if type == "IHDR" { header = Array(body) }
            if type == "IDAT" { compressed += body }
            if type == "IEND" { break }
            offset += 12 + length
        }
        guard header.count == 13 else { throw Failure(description: "no IHDR") }
        width = header[0..<4].reduce(0) { $0 << 8 | Int($1) }
        height = header[4..<8].reduce(0) { $0 << 8 | Int($1) }
        let (depth, colorType, interlace) = (header[8], header[9], header[12])
        guard depth == 8, colorType == 2 || colorType == 6, interlace == 0 else {
            throw Failure(description: "depth \(depth), colour type \(colorType), interlace \(interlace) not handled")
        }
        channels = colorType == 6 ? 4 : 3
        // zlib: a 2-byte header, deflate data, a checksum we do not need.
        var inflate = Inflate(Array(compressed.dropFirst(2)))
        let raw = try inflate.run()
        pixels = try PNGProbe.unfilter(raw, width: width, height: height, channels: channels)
    }

    static func unfilter(_ raw: [UInt8], width: Int, height: Int, channels: Int) throws -> [UInt8] {
        let stride = width * channels
        guard raw.count >= height * (stride + 1) else { throw Failure(description: "short image data") }
        var out = [UInt8](repeating: 0, count: height * stride)
        for row in 0..<height {
            let filter = raw[row * (stride + 1)]
            let source = row * (stride + 1) + 1
            let base = row * stride
            for i in 0..<stride {
                let a = i >= channels ? Int(out[base + i - channels]) : 0
                let b = row > 0 ? Int(out[base - stride + i]) : 0
                let c = row > 0 && i >= channels ? Int(out[base - stride + i - channels]) : 0
                let x = Int(raw[source + i])
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                    predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw Failure(description: "filter \(filter)")
                }
                out[base + i] = UInt8((x + predictor) & 0xFF)
            }
        }
        return out
    }

    /// The share of pixels that differ from the most common colour (the page's background).
    public var inkedFraction: Double {
        var counts: [UInt32: Int] = [:]
        for start in Swift.stride(from: 0, to: pixels.count, by: channels) {
            let key = UInt32(pixels[start]) << 16 | UInt32(pixels[start + 1]) << 8 | UInt32(pixels[start + 2])
            counts[key, default: 0] += 1
        }
        let background = counts.values.max() ?? 0
        return 1 - Double(background) / Double(max(1, width * height))
    }
}

/// RFC 1951 inflate: stored, fixed and dynamic Huffman blocks.
struct Inflate {
    private let input: [UInt8]
    private var bitPosition = 0
    private var output: [UInt8] = []

    init(_ input: [UInt8]) { self.input = input }

    mutating func run() throws -> [UInt8] {
        var last = false
        while !last {
            last = try bits(1) == 1
            switch try bits(2) {
            case 0: try stored()
            case 1:
                try huffman(
                    literals: Huffman(lengths: Inflate.fixedLiteralLengths),
                    distances: Huffman(lengths: [Int](repeating: 5, count: 30)))
            case 2:
                let (literals, distances) = try dynamicTables()
                try huffman(literals: literals, distances: distances)
            default: throw PNGProbe.Failure(description: "bad block type")
            }
        }
        return output
    }

    private mutating func bits(_ count: Int) throws -> Int {
        var value = 0
        for i in 0..<count {
            let byte = bitPosition >> 3
            guard byte < input.count else { throw PNGProbe.Failure(description: "deflate data ends early") }
            value |= Int((input[byte] >> UInt8(bitPosition & 7)) & 1) << i
            bitPosition += 1
        }
        return value
    }

    private mutating func stored() throws {
        bitPosition = (bitPosition + 7) & ~7
        let start = bitPosition >> 3
        guard start + 4 <= input.count else { throw PNGProbe.Failure(description: "stored block ends early") }
        let length = Int(input[start]) | Int(input[start + 1]) << 8
        guard start + 4 + length <= input.count else { throw PNGProbe.Failure(description: "stored block ends early") }
        output += input[start + 4..<start + 4 + length]
        bitPosition = (start + 4 + length) << 3
    }

    static let fixedLiteralLengths =
        [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112)
        + [Int](repeating: 7, count: 24) + [Int](repeating: 8, count: 8)
    static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258
    ]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
        1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577
    ]
    static let distanceExtra = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12,
        12, 13, 13
    ]
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private mutating func dynamicTables() throws -> (Huffman, Huffman) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        var codeLengths = [Int](repeating: 0, count: 19)
        for i in 0..<codeLengthCount { codeLengths[Inflate.codeLengthOrder[i]] = try bits(3) }
        let codeLengthCode = Huffman(lengths: codeLengths)
        var lengths: [Int] = []
        while lengths.count < literalCount + distanceCount {
            let symbol = try decode(codeLengthCode)
            switch symbol {
            case 0...15: lengths.append(symbol)
            case 16:
                guard let previous = lengths.last else { throw PNGProbe.Failure(description: "repeat with nothing") }
                lengths += [Int](repeating: previous, count: 3 + (try bits(2)))
            case 17: lengths += [Int](repeating: 0, count: 3 + (try bits(3)))
            default: lengths += [Int](repeating: 0, count: 11 + (try bits(7)))
            }
        }
        return (Huffman(lengths: Array(lengths[0..<literalCount])), Huffman(lengths: Array(lengths[literalCount...])))
    }

    private mutating func huffman(literals: Huffman, distances: Huffman) throws {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 { output.append(UInt8(symbol)); continue }
            if symbol == 256 { return }
            let index = symbol - 257
            guard index < Inflate.lengthBase.count else { throw PNGProbe.Failure(description: "bad length symbol") }
            let length = Inflate.lengthBase[index] + (try bits(Inflate.lengthExtra[index]))
            let distanceSymbol = try decode(distances)
            guard distanceSymbol < Inflate.distanceBase.count else {
                throw PNGProbe.Failure(description: "bad distance symbol")
            }
            let distance = Inflate.distanceBase[distanceSymbol] + (try bits(Inflate.distanceExtra[distanceSymbol]))
            guard distance <= output.count else { throw PNGProbe.Failure(description: "distance before the start") }
            let start = output.count - distance
            for i in 0..<length { output.append(output[start + i]) }
        }
    }

    private mutating func decode(_ code: Huffman) throws -> Int {
        var value = 0
        var first = 0
        var index = 0
        for length in 1...15 {
            value |= try bits(1)
            let count = code.counts[length]
            if value - count < first { return code.symbols[index + value - first] }
            index += count
            first = (first + count) << 1
            value <<= 1
        }
        throw PNGProbe.Failure(description: "no Huffman code matches")
    }
}

/// A canonical Huffman code as counts per length and symbols in code order (zlib's "puff" layout).
struct Huffman {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int] = []

    init(lengths: [Int]) {
        for length in lengths { counts[length] += 1 }
        counts[0] = 0
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
        symbols = [Int](repeating: 0, count: lengths.count)
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[offsets[length]] = symbol
            offsets[length] += 1
        }
    }
}
