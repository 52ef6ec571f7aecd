import ArgumentParser

/// `import shopify|woocommerce|orders` (filled in by the order importers).
let orderImportCommands: [ParsableCommand.Type] = []
