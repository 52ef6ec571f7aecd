import LedgerCore
import Testing

/// The one CSV writer: quoting, and text that a spreadsheet would run as a formula.
@Suite("CSV writer")
struct CSVWriterTests {
    @Test func textThatStartsLikeAFormulaGetsAnApostrophe() {
        for start in ["=", "+", "-", "@", "\t", "\r"] {
            let text = start + "HYPERLINK(\"http://x\")"
            let field = CSVWriter.field(.text(text))
            #expect(
                field.hasPrefix("'") || field.hasPrefix("\"'"),
                "\(text.debugDescription) -> \(field.debugDescription)")
        }
        #expect(CSVWriter.field(.text("=1+1")) == "'=1+1")
        #expect(CSVWriter.field(.text("@SUM(A1)")) == "'@SUM(A1)")
        #expect(CSVWriter.field(.text("-Bea")) == "'-Bea")
        // Quoted after the apostrophe, when the text needs quotes.
        #expect(CSVWriter.field(.text("=A1,\"x\"")) == "\"'=A1,\"\"x\"\"\"")
        #expect(CSVWriter.field(.text("\rX")) == "\"'\rX\"")
    }

    @Test func otherTextAndNumbersStayAsTheyAre() {
        #expect(CSVWriter.field(.text("Anna Becker")) == "Anna Becker")
        #expect(CSVWriter.field(.text("a=b")) == "a=b")
        #expect(CSVWriter.field(.text("")) == "")
        #expect(CSVWriter.field(.number("-12.00")) == "-12.00")
        #expect(CSVWriter.field(.number("+3")) == "+3")
        #expect(CSVWriter.field(.empty) == "")
        #expect(CSVWriter.field(.text("Becker, Anna")) == "\"Becker, Anna\"")
        #expect(CSVWriter.line([.text("-x"), .number("-1.50"), .empty, .text("y")]) == "'-x,-1.50,,y\n")
    }

    @Test func bytesCopiedFromAnInputAreOnlyQuoted() {
        func quoted(_ text: String) -> String {
            var out: [UInt8] = []
            Array(text.utf8).withUnsafeBufferPointer { CSVWriter.appendQuoted($0, to: &out) }
            return String(decoding: out, as: UTF8.self)
        }
        #expect(quoted("=cmd") == "=cmd")
        #expect(quoted("-5.00") == "-5.00")
        #expect(quoted("a,b") == "\"a,b\"")
        #expect(quoted("say \"hi\"\n") == "\"say \"\"hi\"\"\n\"")
    }
}
