import LedgerCore
import TestSupport
import Testing

/// The journal rules of the books (cli.md "Books"): which account gets what, on which side, and
/// that every journal balances.
@Suite("books: accounts and journals")
struct BooksTests {
    static func figures(
        carriedIn: Int64 = 0, commissions: Int64 = 0, clawbacks: Int64 = 0, fees: Int64 = 0,
        adjustments: Int64 = 0, minPayout: Int64 = 0
    ) -> PayoutFigures {
        let balance = carriedIn + commissions - clawbacks + fees + adjustments
        let payout = balance > 0 && balance >= minPayout ? balance : 0
        return PayoutFigures(
            carriedInMinor: carriedIn, commissionsMinor: commissions, clawbacksMinor: clawbacks,
            feesMinor: fees, adjustmentsMinor: adjustments, balanceMinor: balance, payoutMinor: payout,
            carriedOutMinor: balance - payout)
    }

    /// (account, debit, credit) of each line.
    static func sides(_ journal: Journal) -> [String] {
        journal.lines.map { "\($0.account.rawValue) \($0.debitMinor) \($0.creditMinor)" }
    }

    @Test func aPaidCloseDebitsTheCostsAndCreditsPayableAndTheCarriedBalanceItUsedUp() {
        let f = Self.figures(carriedIn: 195, commissions: 1_000, clawbacks: 300, fees: 80_000, adjustments: 1_500)
        let journal = closeJournal(ym("2026-09"), statements: [("sam", f)])
        #expect(journal.id == "TALLY-CLOSE-2026-09" && journal.date == CivilDate.parse("2026-09-30"))
        #expect(
            Self.sides(journal) == [
                "commissions 700 0", "fees 80000 0", "adjustments 1500 0", "payable 0 82395",
                "carried 195 0"
            ])
        #expect(journal.isBalanced && journal.debitsMinor == 82_395)
    }

    @Test func negativeFiguresGoToTheOtherSideAndABalanceBelowTheMinimumIsCarried() {
        // More clawed back than earned, a negative adjustment, nothing paid: a debit balance carried.
        let owes = Self.figures(commissions: 100, clawbacks: 900, adjustments: -200)
        let small = Self.figures(commissions: 1_200, minPayout: 5_000)
        let journal = closeJournal(ym("2026-12"), statements: [("ann", owes), ("bo", small)])
        #expect(journal.date == CivilDate.parse("2026-12-31"))
        #expect(
            Self.sides(journal) == [
                "commissions 0 800", "adjustments 0 200", "carried 1000 0",
                "commissions 1200 0", "carried 0 1200"
            ])
        #expect(journal.lines.allSatisfy { ($0.debitMinor == 0) != ($0.creditMinor == 0) })
        #expect(journal.isBalanced)
    }

    @Test func aPaymentDebitsPayableAndCreditsTheCashAccountOfItsMethodOnceItIsSet() throws {
        let payment = PaidPayout(
            month: ym("2026-09"), creator: "bea", amountMinor: 27_698, reference: "PP-1",
            paidOn: CivilDate.parse("2026-10-03")!, method: .paypal)
        let plain = paymentJournal(payment, book: AccountBook())
        #expect(plain.id == "TALLY-PAID-2026-09-bea" && plain.date == CivilDate.parse("2026-10-03"))
        #expect(Self.sides(plain) == ["payable 27698 0", "cash 0 27698"])
        let book = AccountBook([AccountSet(key: "cash:paypal", name: "PayPal", code: "1020", at: .epoch)])
        #expect(Self.sides(paymentJournal(payment, book: book)) == ["payable 27698 0", "cash:paypal 0 27698"])
        var wise = payment; wise.method = .wise
        #expect(Self.sides(paymentJournal(wise, book: book)) == ["payable 27698 0", "cash 0 27698"])
        #expect(book.account(.cashWise).name == "Payout clearing" && book.account(.cashPaypal).code == "1020")
    }

    @Test func theMonthsJournalsAreItsCloseThenThePaymentsMadeInItByDay() {
        func paid(_ month: String, _ creator: String, _ day: String) -> PaidPayout {
            PaidPayout(
                month: ym(month), creator: creator, amountMinor: 100, reference: "R",
                paidOn: CivilDate.parse(day)!, method: .bank)
        }
        let journals = monthJournals(
            ym("2026-10"), statements: [("a", Self.figures(commissions: 100))],
            payments: [
                paid("2026-09", "b", "2026-10-20"), paid("2026-10", "a", "2026-11-02"),
                paid("2026-09", "a", "2026-10-05")
            ],
            book: AccountBook())
        #expect(journals.map(\.id) == ["TALLY-CLOSE-2026-10", "TALLY-PAID-2026-09-a", "TALLY-PAID-2026-09-b"])
        let empty = monthJournals(ym("2026-10"), statements: [("a", Self.figures())], payments: [], book: AccountBook())
        #expect(empty.isEmpty)
    }

    @Test func settingAnAccountKeepsItsCodeUnlessGivenAndRefusesWhatAnImportCannotCarry() throws {
        let book = AccountBook([AccountSet(key: "payable", name: "AP", code: "2100", at: .epoch)])
        let renamed = try accountSetting(
            key: "payable", name: "Liabilities:Creators", code: nil, book: book,
            at: .epoch)
        #expect(renamed.code == "2100" && renamed.name == "Liabilities:Creators")
        #expect(try accountSetting(key: "payable", name: "AP", code: "", book: book, at: .epoch).code == "")
        #expect(throws: BooksError.self) {
            try accountSetting(key: "revenue", name: "x", code: nil, book: book, at: .epoch)
        }
        let badNames = [
            "", "Two\nlines", "Tab\there", " Leading", "Parent:", ":Child", "A::B",
            String(repeating: "x", count: 101)
        ]
        for bad in badNames {
            #expect(throws: BooksError.self, "\(bad.debugDescription)") {
                try accountSetting(key: "fees", name: bad, code: nil, book: book, at: .epoch)
            }
        }
        for bad in ["12345678901", "20 00", "2000/1"] {
            #expect(throws: BooksError.self, "\(bad)") {
                try accountSetting(key: "fees", name: "Fees", code: bad, book: book, at: .epoch)
            }
        }
        // The last setting of a key is in force.
        let twice = AccountBook([
            AccountSet(key: "fees", name: "A", code: "", at: .epoch),
            AccountSet(key: "fees", name: "B", code: "6100", at: .epoch)
        ])
        #expect(twice.account(.fees) == Account(key: .fees, name: "B", code: "6100", isSet: true))
        #expect(AccountBook().account(.taxRate).name == "Tax Exempt")
    }

    @Test func filesAreCutBetweenCreatorsAndEachBalances() {
        let statements = (0..<70).map { i in
            (
                "c\(String(i + 100))",
                Self.figures(
                    carriedIn: Int64(i), commissions: Int64(i * 37), clawbacks: 3,
                    fees: 500, adjustments: -7)
            )
        }
        let close = closeJournal(ym("2026-10"), statements: statements)
        let payments = (0..<20).map { i in
            paymentJournal(
                PaidPayout(
                    month: ym("2026-09"), creator: "c\(i)", amountMinor: 10, reference: "R",
                    paidOn: CivilDate.parse("2026-10-05")!, method: .other), book: AccountBook())
        }
        let files = splitJournals([close] + payments, maxLines: 300)
        #expect(close.lines.count > 300 && files.count == 2)
        for file in files {
            #expect(file.reduce(0) { $0 + $1.lines.count } <= 300)
            for journal in file { #expect(journal.isBalanced, "\(journal.id)") }
            #expect(Set(file.map(\.id)).count == file.count, "a journal appears once per file")
        }
        #expect(
            files.flatMap { $0.flatMap(\.lines) } == close.lines + payments.flatMap(\.lines),
            "nothing lost or moved")
    }

    /// Every close of random ledgers: the journal balances, each creator's lines balance, and per
    /// creator the accounts hold the statement's figures (what `payout show` prints).
    @Test(arguments: Array(UInt64(1)...100))
    func everyCloseJournalBalancesAndReconcilesCreatorByCreator(seed: UInt64) {
        let (results, _, _) = closeAll(RandomLedger(seed: seed))
        for result in results {
            let statements = result.statements.map { ($0.creator, $0.figures) }
            let journal = closeJournal(result.month, statements: statements)
            #expect(journal.isBalanced, "seed \(seed) \(result.month)")
            for (creator, f) in statements {
                let lines = journal.lines.filter { $0.creator == creator }
                func net(_ key: AccountKey) -> Int64 {
                    lines.filter { $0.account == key }.reduce(0) { $0 + $1.signedMinor }
                }
                #expect(net(.commissions) == f.commissionsMinor - f.clawbacksMinor, "seed \(seed) \(creator)")
                #expect(net(.fees) == f.feesMinor && net(.adjustments) == f.adjustmentsMinor, "seed \(seed) \(creator)")
                #expect(net(.payable) == -f.payoutMinor, "seed \(seed) \(creator)")
                #expect(net(.carried) == f.carriedInMinor - f.carriedOutMinor, "seed \(seed) \(creator)")
                #expect(lines.reduce(0) { $0 + $1.signedMinor } == 0, "seed \(seed) \(creator)'s lines balance")
                #expect(lines.allSatisfy { ($0.debitMinor > 0) != ($0.creditMinor > 0) }, "seed \(seed)")
            }
            for file in splitJournals([journal], maxLines: 7) {
                #expect(file.allSatisfy { $0.isBalanced }, "seed \(seed) \(result.month): a file does not balance")
            }
        }
    }
}

@Suite("books: payments of a year and 1099-NEC")
struct PaymentsOfYearTests {
    static func paid(_ creator: String, _ month: String, _ day: String, _ amount: Int64, _ method: PaymentMethod)
        -> PaidPayout
    {
        PaidPayout(
            month: ym(month), creator: creator, amountMinor: amount, reference: "R-\(month)",
            paidOn: CivilDate.parse(day)!, method: method)
    }

    @Test func theThresholdIs600UpTo2025And2000In2026AndUnknownWhenIndexedAndNotSet() {
        #expect(necThreshold(year: 2024) == 60_000 && necThreshold(year: 2025) == 60_000)
        #expect(necThreshold(year: 2026) == 200_000)
        #expect(necThreshold(year: 2027) == nil, "indexed for inflation: not guessed")
        #expect(necThreshold(year: 2027, indexed: [2027: 210_000, 2028: 220_000]) == 210_000)
        #expect(necThreshold(year: 2026, indexed: [2026: 300_000]) == 200_000, "the law's figure is no setting")
    }

    @Test func aThresholdSettingIsTheIRSFigureOfAnIndexedYear() throws {
        let at = Instant(unixSeconds: 1_800_000_000)
        let set = try thresholdSetting(key: "1099-nec-threshold:2027", value: "2100.00", at: at)
        #expect(set == ThresholdSet(form: "1099-nec", year: 2027, amountMinor: 210_000, at: at))
        #expect(set.settingKey == "1099-nec-threshold:2027")
        let refusals: [(String, String, String)] = [
            ("1099-nec-threshold:2026", "2100.00", "the law's, 2,000.00"),
            ("1099-nec-threshold:2025", "2100.00", "the law's, 600.00"),
            ("1099-nec-threshold:02027", "2100.00", "four digits"),
            ("1099-nec-threshold:27", "2100.00", "four digits"),
            ("1099-misc-threshold:2027", "2100.00", "unknown setting"),
            ("1099-nec-threshold:2027", "2050.00", "multiple of 100.00"),
            ("1099-nec-threshold:2027", "1900.00", "at least 2000.00"),
            ("1099-nec-threshold:2027", "2,100.00", "comma"),
            ("1099-nec-threshold:2027", "-2100.00", "at least 2000.00")
        ]
        for (key, value, message) in refusals {
            #expect { try thresholdSetting(key: key, value: value, at: at) } throws: { error in
                "\(error)".contains(message)
            }
        }
    }

    @Test func paymentsCountInTheYearOfTheirDayAndPayPalIsLeftToThe1099K() {
        let payments = [
            Self.paid("ann", "2025-11", "2025-12-30", 50_000, .bank),
            Self.paid("ann", "2025-12", "2026-01-04", 150_000, .bank),  // December's payout, paid in January
            Self.paid("ann", "2026-01", "2026-02-03", 50_000, .paypal),
            Self.paid("bo", "2026-01", "2026-02-03", 199_999, .wise),
            Self.paid("cy", "2026-01", "2026-02-03", 100_000, .other),
            Self.paid("cy", "2026-02", "2026-03-03", 100_000, .bank)
        ]
        let y2026 = paymentsOfYear(2026, payments: payments, threshold: 200_000)
        #expect(y2026.map(\.creator) == ["ann", "bo", "cy"])
        #expect(y2026.map(\.payments) == [2, 1, 2] && y2026.map(\.paidMinor) == [200_000, 199_999, 200_000])
        #expect(y2026.map(\.paypalMinor) == [50_000, 0, 0] && y2026.map(\.necMinor) == [150_000, 199_999, 200_000])
        #expect(y2026.map(\.needs1099NEC) == [false, false, true], "at the threshold exactly: needed")
        let y2025 = paymentsOfYear(2025, payments: payments, threshold: 60_000)
        #expect(y2025.map(\.paidMinor) == [50_000] && y2025.map(\.needs1099NEC) == [false])
        let euros = paymentsOfYear(2026, payments: payments, threshold: nil)
        #expect(euros.allSatisfy { $0.thresholdMinor == nil && !$0.needs1099NEC })
    }
}

@Suite("books: QuickBooks' journal numbers and shared account codes")
struct BooksLimitsTests {
    @Test func everyJournalNumberFitsQuickBooksAndStaysTheSame() throws {
        #expect(quickBooksJournalNo("TALLY-CLOSE-2026-10") == "TALLY-CLOSE-2026-10")
        #expect(quickBooksJournalNo("TALLY-PAID-2026-09-brew-bea") == "TP-2026-09-brew-bea")
        #expect(quickBooksJournalNo("TALLY-PAID-2026-09-anna-bakes") == "TP-2026-09-anna-bakes", "10 characters fit")
        // SHA-256("tea-with-tess") starts a329c4 (sha256sum).
        #expect(quickBooksJournalNo("TALLY-PAID-2026-09-tea-with-tess") == "TP-2026-09-tea-A329C4")
        var rng = SplitMix64(seed: 16)
        for _ in 0..<500 {
            let length = Int(rng.next() % 64) + 1
            let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789-_.")
            let id = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            let number = quickBooksJournalNo("TALLY-PAID-2026-12-" + id)
            #expect(number.count <= quickBooksJournalNoMax && number.hasPrefix("TP-2026-12-"), "\(id): \(number)")
            #expect(number == quickBooksJournalNo("TALLY-PAID-2026-12-" + id))
        }
    }

    @Test func twoJournalsOfOneNumberAreRefusedNotJoined() throws {
        let journal = { (id: String) in Journal(id: id, date: CivilDate.parse("2026-10-03")!, lines: []) }
        let fine = try quickBooksJournalNumbers([
            journal("TALLY-CLOSE-2026-10"), journal("TALLY-PAID-2026-09-a"),
            journal("TALLY-PAID-2026-09-a")
        ])
        #expect(fine == ["TALLY-CLOSE-2026-10": "TALLY-CLOSE-2026-10", "TALLY-PAID-2026-09-a": "TP-2026-09-a"])
        // Made up (no creator id has upper-case letters): an id of 10 characters that is another's short form.
        #expect {
            try quickBooksJournalNumbers([
                journal("TALLY-PAID-2026-09-tea-with-tess"),
                journal("TALLY-PAID-2026-09-tea-A329C4")
            ])
        } throws: { error in
            "\(error)".contains("would share QuickBooks' Journal No TP-2026-09-tea-A329C4")
        }
    }

    @Test func anAccountCodeBelongsToOneAccountAndTaxRatesHaveNone() throws {
        let at = Instant(unixSeconds: 1_800_000_000)
        let book = AccountBook([AccountSet(key: "cash", name: "Business checking", code: "1000", at: at)])
        #expect { try accountSetting(key: "cash:paypal", name: "PayPal", code: "1000", book: book, at: at) } throws: {
            "\($0)".contains("the code 1000 is the code of cash ('Business checking')")
        }
        #expect {
            try accountSetting(key: "fees", name: "Business checking", code: "6110", book: book, at: at)
        } throws: {
            "\($0)".contains("'Business checking' is the account of cash, with code 1000")
        }
        let same = try accountSetting(key: "cash:paypal", name: "Business checking", code: "1000", book: book, at: at)
        #expect(same.code == "1000", "two keys on one account: the same name and code")
        let renamed = try accountSetting(key: "cash", name: "Checking", code: nil, book: book, at: at)
        #expect(renamed.code == "1000", "the key itself keeps its code")
        #expect { try accountSetting(key: "tax-rate", name: "No VAT", code: "1", book: book, at: at) } throws: {
            "\($0)".contains("tax-rate is the name of a tax rate")
        }
        #expect(try accountSetting(key: "tax-rate", name: "No VAT", code: "", book: book, at: at).code == "")
    }
}
