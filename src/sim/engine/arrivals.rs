//! Server arrivals: seeded open-loop Poisson streams, one per task group,
//! started when every worker is ready.

use super::*;

impl Engine<'_> {
    pub(super) fn start_arrivals(&mut self) {
        let now = self.now;
        for s in &mut self.streams {
            s.end = now.saturating_add(s.end);
            s.next = now.saturating_add(s.rng.exponential_ns(s.mean_ns));
        }
        self.first_arrival = None;
        self.schedule_next_arrival();
    }

    pub(super) fn schedule_next_arrival(&mut self) {
        let next = self
            .streams
            .iter()
            .filter(|s| s.next <= s.end)
            .map(|s| s.next)
            .min();
        match next {
            Some(t) => self.q.push(t, Ev::Arrival),
            None => {
                self.arrivals_open = false;
                self.check_join();
                // Workers idle for more requests can now exit.
                self.wake_all_idle();
                self.wake_loop();
            }
        }
    }

    pub(super) fn on_arrival(&mut self) {
        let now = self.now;
        let gi = self
            .streams
            .iter()
            .position(|s| s.next == now && s.next <= s.end);
        let Some(gi) = gi else {
            self.schedule_next_arrival();
            return;
        };
        let s = &mut self.streams[gi];
        s.next = now.saturating_add(s.rng.exponential_ns(s.mean_ns));
        let id = self.new_task(gi as u32, now);
        self.first_arrival.get_or_insert(now);
        self.outstanding += 1;
        self.pending.push_back(id);
        // A caller that sleeps until each arrival wakes late by the timer's
        // slack (an event loop's timer rounds to its selector's tick).
        let late = if self.caller_sleeps {
            self.c.timer_late_ns
        } else {
            0
        };
        if self.feed == Feed::Parent {
            // The caller submits it to the pool.
            self.wake_after(self.parent, late);
        } else {
            let latency = self.handover_ns() + late;
            self.wake_idle_worker(latency);
        }
        if self.caller_sleeps {
            self.wake_loop_timer();
        } else {
            self.wake_loop();
        }
        self.schedule_next_arrival();
    }
}
