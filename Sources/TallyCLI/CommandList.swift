import ArgumentParser

/// Every top-level command, in the order `tally --help` lists them.
let commandList: [ParsableCommand.Type] = [
    InitCommand.self,
    LogCommand.self,
    VerifyCommand.self,
    RebuildCommand.self,
    ImportCommand.self,
    PayoutCommand.self,
    StatementCommand.self,
    ExplainCommand.self,
    CodesCommand.self,
]
