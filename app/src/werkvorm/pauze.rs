//! Pauze: a break. No board.

use super::WerkvormUi;
use crate::i18n::Key;

pub struct Pauze;

impl WerkvormUi for Pauze {
    /// Not "listen and join in": it's a break.
    const NO_BOARD: Key = Key::BreakNow;
}
