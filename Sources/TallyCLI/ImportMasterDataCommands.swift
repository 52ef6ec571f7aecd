import ArgumentParser

/// `import creators|codes|referrals|terms|posts|gifts|adjustments|fx` (filled in by master data).
let masterDataImportCommands: [ParsableCommand.Type] = []
