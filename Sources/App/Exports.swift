import LedgerStore
import OrderImport

// The values of the store and the importers that the command line renders or reports, under
// App's name: the command line imports App and LedgerCore only (scripts/check-architecture.sh),
// and holds a `LedgerSession`, never the store itself.

public typealias LedgerError = LedgerStore.LedgerError
public typealias SQLiteError = LedgerStore.SQLiteError
public typealias VerifyReport = LedgerStore.VerifyReport
public typealias PreviousImport = LedgerStore.PreviousImport
public typealias InputIssue = OrderImport.InputIssue
public typealias MasterDataKind = OrderImport.MasterDataKind
public typealias MasterDataSummary = OrderImport.MasterDataSummary
public typealias MasterDataImportError = OrderImport.MasterDataImportError
public typealias OrderDialectKind = OrderImport.OrderDialectKind
public typealias ImportPhase = OrderImport.ImportPhase
public typealias ImportProgress = OrderImport.ImportProgress
public typealias ChainHead = LedgerStore.ChainHead
public typealias BackupResult = LedgerStore.BackupResult
public typealias BackupError = LedgerStore.BackupError
