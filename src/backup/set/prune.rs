//! Applying retention to a target: sets the plan does not keep are removed (manifest first,
//! so a half-removed set is never listed as good), then every media blob no remaining set
//! refers to. Runs under the run lock, so no set is being written meanwhile.

use std::collections::HashSet;

use super::{
    Decision, SetError, Target,
    manifest::{MANIFEST, set_key},
    retention,
};
use crate::settings::Retention;

#[derive(Debug, Default)]
pub struct PruneReport {
    /// Every set with its decision, oldest first.
    pub decisions: Vec<Decision>,
    /// Media blobs no kept set refers to (removed unless a dry run).
    pub unreferenced_blobs: usize,
}

impl PruneReport {
    pub fn removed(&self) -> impl Iterator<Item = &Decision> {
        self.decisions.iter().filter(|d| !d.keep())
    }
}

/// Plans retention on `target` and, unless `dry_run`, carries it out.
pub async fn prune(
    target: &Target,
    policy: Retention,
    dry_run: bool,
) -> Result<PruneReport, SetError> {
    let sets = target.sets().await?;
    let decisions = retention::plan(&sets, policy);
    let mut referenced = HashSet::new();
    for (set, decision) in sets.iter().zip(&decisions) {
        if decision.keep()
            && let Some(manifest) = &set.manifest
        {
            referenced.extend(manifest.media.iter().map(|m| m.blob.clone()));
        }
    }
    let unreferenced: Vec<String> = target
        .list("media")
        .await?
        .into_iter()
        .filter(|b| !referenced.contains(b))
        .collect();
    if !dry_run {
        for decision in decisions.iter().filter(|d| !d.keep()) {
            remove_set(target, &decision.id).await?;
        }
        for blob in &unreferenced {
            target.delete(blob).await?;
        }
    }
    Ok(PruneReport {
        decisions,
        unreferenced_blobs: unreferenced.len(),
    })
}

async fn remove_set(target: &Target, id: &str) -> Result<(), SetError> {
    let manifest = set_key(id, MANIFEST);
    target.delete(&manifest).await?;
    for key in target.set_objects(id).await? {
        target.delete(&key).await?;
    }
    Ok(())
}
