"""Every distribution model, for app/models.py and for callers who want them in one import."""

from app.distribution.agent_models import Agent, AgentApplication, BindingEvent, ReferralBinding, TeamCounter
from app.distribution.commission_models import AgentAccount, CommissionEntry, CommissionLine, CommissionRefund
from app.distribution.rollup_models import AgentRollup
from app.distribution.settings_models import AgentLevel, DistributionSettings, ProductCommissionRule
from app.distribution.withdrawal_models import Withdrawal

__all__ = ["Agent", "AgentAccount", "AgentApplication", "AgentLevel", "AgentRollup", "BindingEvent", "CommissionEntry",
           "CommissionLine", "CommissionRefund", "DistributionSettings", "ProductCommissionRule",
           "ReferralBinding", "TeamCounter", "Withdrawal"]
