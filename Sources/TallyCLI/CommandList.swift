import ArgumentParser

/// Every top-level command, in the order `tally --help` lists them.
let commandList: [ParsableCommand.Type] = [
    InitCommand.self,
    ImportCommand.self,
    ImportsCommand.self,
    CreatorCommand.self,
    CodeCommand.self,
    CodesCommand.self,
    ReferralsCommand.self,
    TermsCommand.self,
    PostCommand.self,
    GiftCommand.self,
    AdjustCommand.self,
    ListCommand.self,
    PayoutCommand.self,
    StatementCommand.self,
    BalancesCommand.self,
    ReportCommand.self,
    JournalCommand.self,
    AccountsCommand.self,
    PaymentsCommand.self,
    SettingsCommand.self,
    ExplainCommand.self,
    RoiCommand.self,
    TiersCommand.self,
    LogCommand.self,
    VerifyCommand.self,
    RebuildCommand.self,
    BackupCommand.self,
    KeyCommand.self,
    DebugCommand.self
]
