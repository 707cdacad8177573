//! A bound on the bytes one thread has handed to another and the other has not processed yet,
//! so a dump of long rows cannot fill memory through a queue counted in items. std's channels
//! count items, not bytes; this is the few lines that add the bytes.

use std::sync::{Condvar, Mutex};

pub struct Budget {
    state: Mutex<State>,
    changed: Condvar,
    limit: usize,
}

struct State {
    out: usize,
    closed: bool,
}

impl Budget {
    pub fn new(limit: usize) -> Budget {
        Budget {
            state: Mutex::new(State {
                out: 0,
                closed: false,
            }),
            changed: Condvar::new(),
            limit,
        }
    }

    /// Waits until `n` more bytes fit (anything fits when nothing is out, so one batch larger
    /// than the limit still goes through); false when the receiver has closed the budget.
    pub fn take(&self, n: usize) -> bool {
        let mut state = self.state.lock().expect("budget lock");
        while !state.closed && state.out > 0 && state.out + n > self.limit {
            state = self.changed.wait(state).expect("budget lock");
        }
        state.out += n;
        !state.closed
    }

    /// `n` bytes taken earlier have been processed.
    pub fn give(&self, n: usize) {
        let mut state = self.state.lock().expect("budget lock");
        state.out = state.out.saturating_sub(n);
        self.changed.notify_all();
    }

    /// The receiver stopped: every waiting and later `take` returns false at once.
    pub fn close(&self) {
        self.state.lock().expect("budget lock").closed = true;
        self.changed.notify_all();
    }
}

/// Closes the budget when dropped, however the receiver stops.
pub struct CloseOnDrop<'a>(pub &'a Budget);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn a_sender_waits_for_room_and_is_released_by_close() {
        let budget = Arc::new(Budget::new(10));
        assert!(
            budget.take(25),
            "one batch over the limit goes through alone"
        );
        let waiting = {
            let budget = budget.clone();
            std::thread::spawn(move || budget.take(1))
        };
        budget.give(25);
        assert!(waiting.join().unwrap());
        budget.take(9);
        let blocked = {
            let budget = budget.clone();
            std::thread::spawn(move || budget.take(5))
        };
        budget.close();
        assert!(!blocked.join().unwrap(), "close releases a waiting sender");
    }
}
