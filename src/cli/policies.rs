//! Reading policy directories: the loader lives in [`crate::policy_dir`], shared
//! with the webhook.

pub(crate) use crate::policy_dir::load;
