import Mustache

/// A value the templates read by field name.
///
/// Mustache looks a name up in the enclosing values when the current one has no such field, and
/// reads a nil optional as "no such field": a bar without a `stroke` would find the `stroke` of
/// whatever encloses it. Here a field that exists is always an answer: a nil optional renders as
/// nothing (an empty section, an empty variable) and never falls through to an outer value.
protocol TemplateValue: MustacheParent {}

extension TemplateValue {
    func child(named name: String) -> Any? {
        guard let field = Mirror(reflecting: self).children.first(where: { $0.label == name }) else { return nil }
        let value = Mirror(reflecting: field.value)
        guard value.displayStyle == .optional else { return field.value }
        return value.children.first?.value ?? Absent()
    }
}

/// A nil field as Mustache sees it: false in a section, empty in a variable.
struct Absent: MustacheCustomRenderable {
    var renderText: String { "" }
    var isNull: Bool { true }
}
