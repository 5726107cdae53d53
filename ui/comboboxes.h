#pragma once

class QComboBox;

/// Combo boxes whose lists show their items whole.
namespace ComboBoxes {

/// Makes the box's drop-down list at least as wide as its widest item as the style draws it
/// (icon and check column included), so that no item is elided ("Com…ted"). Call it once the
/// items are in.
void fitPopupToItems(QComboBox *box);

} // namespace ComboBoxes
