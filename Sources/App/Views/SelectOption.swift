/// One choice of a `<select>` or a group of checkboxes, as templates render it.
struct SelectOption: Encodable {
    let value: String
    let label: String
    let selected: Bool
}
