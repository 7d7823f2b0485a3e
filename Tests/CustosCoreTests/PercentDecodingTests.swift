import CustosCore
import Foundation
import Testing

@Suite("Percent decoding")
struct PercentDecodingTests {
    @Test("decodes escapes; a malformed escape or bytes that are not UTF-8 give nil")
    func cases() {
        #expect("did:custos:abc".percentDecoded == "did:custos:abc")
        #expect("did%3Acustos%3aabc".percentDecoded == "did:custos:abc")
        #expect("a%20b+c".percentDecoded == "a b+c")
        #expect("%E2%82%AC".percentDecoded == "€")
        #expect("".percentDecoded == "")
        #expect("%".percentDecoded == nil)
        #expect("%4".percentDecoded == nil)
        #expect("%4G".percentDecoded == nil)
        #expect("%zz".percentDecoded == nil)
        #expect("%FF".percentDecoded == nil)
        #expect("%E2%82".percentDecoded == nil)
        #expect("%00".percentDecoded == "\u{0}")
        #expect("€%25".percentDecoded == "€%")
    }

    @Test("agrees with Foundation's removingPercentEncoding on random texts")
    func againstFoundation() {
        let alphabet = Array("%%%0123456789abcdefABCDEFgz:/+ é€")
        var generator = SplitMix64(seed: 3_986)
        for _ in 0..<2_000 {
            let length = Int(generator.next() % 12)
            let text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            // Foundation lets some invalid UTF-8 through as U+FFFD; that is refused here (nil), never altered.
            guard let expected = text.removingPercentEncoding, !expected.contains("\u{FFFD}") else { continue }
            #expect(text.percentDecoded == expected, "\(text)")
        }
    }
}
