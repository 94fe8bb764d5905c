//! Pauze: a break. No board.

use super::WerkvormUi;

pub struct Pauze;

impl WerkvormUi for Pauze {}
