//! What every request shares: the serving policy bundle (swapped atomically
//! on reload), the decision settings and limits, the evaluation slots, the
//! metrics, and whether the server is ready.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use arc_swap::ArcSwap;
use tokio::sync::Semaphore;

use super::cache::{self, DecisionCache};
use super::metrics::Metrics;
use super::settings::{DecisionSettings, Limits};
use crate::engine::PolicySet;
use crate::gatekeeper::GatekeeperSet;
use crate::waiver::WaiverSet;

/// What reloads together: the compiled policies, the waivers and the
/// Gatekeeper constraints (with their inventory).
#[derive(Debug)]
pub struct Bundle {
    /// The compiled, warmed policy set.
    pub policies: Arc<PolicySet>,
    /// Accepted exceptions (`--waivers`), applied in `decide`.
    pub waivers: Option<Arc<WaiverSet>>,
    /// ConstraintTemplates and Constraints among the policies, `data.inventory` set.
    pub gatekeeper: Arc<GatekeeperSet>,
    /// Which load this is (1 at start, +1 per successful reload).
    pub generation: u64,
    /// Whether verdicts may be remembered: the policies read nothing but the object.
    pub cacheable: bool,
}

impl Bundle {
    /// Rules and constraints, for the `loaded_rules` metric.
    fn rule_count(&self) -> i64 {
        (self.policies.rules().len() + self.gatekeeper.constraints().count()) as i64
    }

    /// A bundle around a compiled policy set.
    pub fn new(policies: Arc<PolicySet>, generation: u64) -> Self {
        Bundle {
            cacheable: cache::deterministic(&policies),
            policies,
            waivers: None,
            gatekeeper: Arc::default(),
            generation,
        }
    }
}

/// Shared by all requests.
#[derive(Debug)]
pub struct State {
    bundle: ArcSwap<Bundle>,
    /// How requests are decided.
    pub decisions: DecisionSettings,
    /// Resource bounds.
    pub limits: Limits,
    /// Evaluation slots (`limits.concurrency` permits).
    pub(crate) slots: Arc<Semaphore>,
    /// Requests admitted: running plus waiting for a slot.
    pub(crate) admitted: AtomicUsize,
    /// Verdicts of objects seen before.
    pub cache: DecisionCache,
    /// Metrics.
    pub metrics: Metrics,
    serving: AtomicBool,
    draining: AtomicBool,
}

impl State {
    /// State serving `policies`; not ready until [`State::set_serving`].
    pub fn new(policies: Arc<PolicySet>, decisions: DecisionSettings, limits: Limits) -> Arc<Self> {
        Self::with_waivers(policies, None, decisions, limits)
    }

    /// [`State::new`] with waivers applied to every decision.
    pub fn with_waivers(
        policies: Arc<PolicySet>,
        waivers: Option<Arc<WaiverSet>>,
        decisions: DecisionSettings,
        limits: Limits,
    ) -> Arc<Self> {
        let bundle = Bundle {
            waivers,
            ..Bundle::new(policies, 1)
        };
        Self::with_bundle(bundle, decisions, limits)
    }

    /// State serving a bundle (its generation is set to 1).
    pub fn with_bundle(bundle: Bundle, decisions: DecisionSettings, limits: Limits) -> Arc<Self> {
        let metrics = Metrics::new();
        metrics.loaded_rules.set(bundle.rule_count());
        let slots = Arc::new(Semaphore::new(limits.concurrency.max(1)));
        let cache_entries = limits.decision_cache;
        Arc::new(State {
            bundle: ArcSwap::from_pointee(Bundle {
                generation: 1,
                ..bundle
            }),
            decisions,
            limits,
            slots,
            admitted: AtomicUsize::new(0),
            cache: DecisionCache::new(cache_entries),
            metrics,
            serving: AtomicBool::new(false),
            draining: AtomicBool::new(false),
        })
    }

    /// The bundle serving now.
    pub fn bundle(&self) -> Arc<Bundle> {
        self.bundle.load_full()
    }

    /// Replaces the serving policies and waivers; requests already running finish on the old ones.
    pub fn replace_policies(
        &self,
        policies: Arc<PolicySet>,
        waivers: Option<Arc<WaiverSet>>,
    ) -> u64 {
        self.replace_bundle(Bundle {
            waivers,
            ..Bundle::new(policies, 0)
        })
    }

    /// Replaces what is serving with a new bundle, numbered as the next
    /// generation; requests already running finish on the old one.
    pub fn replace_bundle(&self, bundle: Bundle) -> u64 {
        let generation = self.bundle.load().generation + 1;
        self.metrics.loaded_rules.set(bundle.rule_count());
        self.bundle.store(Arc::new(Bundle {
            generation,
            ..bundle
        }));
        generation
    }

    /// Marks the HTTPS listener bound (or not).
    pub fn set_serving(&self, serving: bool) {
        self.serving.store(serving, Ordering::SeqCst);
    }

    /// Marks the server as shutting down: `/readyz` fails from now on.
    pub fn set_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    /// Ready: policies compiled (a state exists only then), TLS bound, not draining.
    pub fn ready(&self) -> bool {
        self.serving.load(Ordering::SeqCst) && !self.draining.load(Ordering::SeqCst)
    }
}
