//! Afsluiting: the closing. No board.

use super::WerkvormUi;

pub struct Afsluiting;

impl WerkvormUi for Afsluiting {}
