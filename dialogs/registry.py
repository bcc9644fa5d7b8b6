"""All flows in one place, with every target checked when the registry is built."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from dialogs.definitions import Flow, Step, StepRef, Understander


class UnknownStep(LookupError):
    pass


class FlowRegistry:
    """Look up steps by ``"flow.step"``; refuse a registry with a dangling target."""

    def __init__(
        self,
        flows: Iterable[Flow],
        *,
        menu: StepRef,
        welcome: StepRef,
        deep_links: Mapping[str, StepRef] | None = None,
        event_steps: Iterable[StepRef] = (),
        understand: Understander | None = None,
        understood_leads_to: Iterable[StepRef] = (),
    ) -> None:
        """``event_steps``: steps a platform event leads to rather than a choice (the
        thread handed back by Messenger's Page Inbox). ``understand``: where typed words
        lead when no choice of the step matched (topics, free questions), None for
        "not understood"; ``understood_leads_to`` its targets, checked like the others."""
        self._steps: dict[StepRef, Step] = {}
        self.flows = tuple(flows)
        for flow in self.flows:
            for step in flow.steps:
                ref = flow.ref(step.id)
                if ref in self._steps:
                    raise ValueError(f"step {ref} declared twice")
                self._steps[ref] = step
        self.menu = menu
        self.welcome = welcome
        self._deep_links = dict(deep_links or {})
        self.event_steps = tuple(event_steps)
        self.understand = understand
        self.understood_leads_to = tuple(understood_leads_to)
        self._check()

    def _check(self) -> None:
        for ref, step in self._steps.items():
            for target in self.targets(step):
                if target not in self._steps:
                    raise ValueError(f"{ref} leads to unknown step {target}")
            ids = [o.id for o in step.options]
            if len(ids) != len(set(ids)):
                raise ValueError(f"{ref} has duplicate option ids")
            for choice_id in ids:
                if len(choice_id.encode()) > 64:
                    raise ValueError(f"option id {choice_id} is over 64 bytes")
        for ref in (
            self.menu,
            self.welcome,
            *self._deep_links.values(),
            *self.event_steps,
            *self.understood_leads_to,
        ):
            if ref not in self._steps:
                raise ValueError(f"unknown step {ref}")

    def step(self, ref: StepRef) -> Step:
        try:
            return self._steps[ref]
        except KeyError:
            raise UnknownStep(ref) from None

    def __contains__(self, ref: object) -> bool:
        return ref in self._steps

    def refs(self) -> Iterator[StepRef]:
        return iter(self._steps)

    @staticmethod
    def targets(step: Step) -> tuple[StepRef, ...]:
        elsewhere = (step.elsewhere,) if step.elsewhere else ()
        return tuple(o.go for o in step.options) + step.leads_to + elsewhere

    def deep_link(self, payload: str) -> StepRef | None:
        """Where a start payload such as ``poll_12`` leads (its prefix names the flow)."""
        prefix = payload.split("_", 1)[0]
        return self._deep_links.get(prefix)

    def entry(self, flow_name: str) -> StepRef:
        flow = next(f for f in self.flows if f.name == flow_name)
        return flow.ref(flow.entry)
