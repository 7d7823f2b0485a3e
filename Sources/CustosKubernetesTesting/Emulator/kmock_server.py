#!/usr/bin/env python3
"""An in-memory Kubernetes API on 127.0.0.1 for the operator's emulator tests, started by Emulator.swift (the
CustosKubernetesTesting module): Tests/CustosOperatorTests/EmulatorTests.swift and, with the real custos-operator
and custos up, Tests/CustosEndToEndTests/OperatorControlPlaneTests.swift.

    python3 kmock_server.py        prints the port on the first line, serves until stdin closes

It is PyPI's kmock (0.8) KubernetesEmulator, which serves list, watch, get, create (409 on an existing name), merge
patch and delete with finalizers (deletionTimestamp, then gone once the finalizers are removed). This driver adds
what kmock leaves out and the operator relies on:
- metadata.uid, metadata.resourceVersion (one counter for every write), metadata.generation (bumped when the spec
  changes) and metadata.creationTimestamp;
- PUT as a replacement, refused with 409 Conflict when its metadata.resourceVersion is not the stored one (kmock
  only knows PATCH), keeping the status of resources with a status subresource;
- PATCH of the status subresource changing only the status.
Not emulated even so: admission, schema validation (of the CRD or of built-in kinds), defaulting, label
selectors (list and watch return everything), watch resourceVersion and timeoutSeconds (a watch replays every
object as ADDED and never ends), 410 Gone, owner references and garbage collection, RBAC, authentication.
"""

import asyncio
import copy
import datetime
import itertools
import sys
import uuid

import aiohttp.web
import attrs
import kmock
from kmock._internal import enums

RESOURCES = ["custos.dev/v1alpha1/custostenants", "apps/v1/deployments", "v1/services",
             "networking.k8s.io/v1/ingresses", "coordination.k8s.io/v1/leases"]
WITH_STATUS = {"custostenants", "deployments"}


def now():
    return datetime.datetime.now(tz=datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@attrs.define(kw_only=True)
class StrictEmulator(kmock.KubernetesEmulator):
    counter: itertools.count = attrs.field(factory=lambda: itertools.count(1))

    def key(self, request):
        return (request.resource, request.namespace, request.name)

    def stored(self, request):
        key = self.key(request)
        if key not in self.objects or self.objects[key].deleted:
            return None
        return self.objects[key].raw

    async def _handle(self, request):
        if request.resource is not None and request.name and request.method == enums.method.PUT:
            return await self.replace(request)
        if request.resource is not None and isinstance(request.data, dict):
            if request.action == enums.action.CREATE:
                metadata = request.data.setdefault("metadata", {})
                metadata.update(uid=str(uuid.uuid4()), resourceVersion=str(next(self.counter)), generation=1,
                                creationTimestamp=now())
            elif request.action == enums.action.UPDATE:
                stored = self.stored(request)
                metadata = request.data.setdefault("metadata", {})
                sent = metadata.get("resourceVersion")
                if stored is not None and sent is not None and sent != stored["metadata"]["resourceVersion"]:
                    return await self.conflict(request)
                if request.subresource == "status":
                    status = request.data.get("status")
                    request.data.clear()
                    request.data["status"] = status
                    metadata = request.data.setdefault("metadata", {})
                elif stored is not None and "spec" in request.data:
                    metadata["generation"] = stored["metadata"].get("generation", 1) + 1
                metadata["resourceVersion"] = str(next(self.counter))
        return await super()._handle(request)

    async def conflict(self, request):
        return await self._render_error(kmock.KubernetesError(
            status=409, reason="Conflict",
            message=f"Operation cannot be fulfilled on {request.resource.plural} \"{request.name}\": the object has "
                    "been modified; please apply your changes to the latest version and try again"))

    async def replace(self, request):
        async with self._lock:
            stored = self.stored(request)
            if stored is None:
                return await self._render_error(kmock.KubernetesObjectNotFoundError())
            sent = (request.data or {}).get("metadata", {})
            if sent.get("resourceVersion") != stored["metadata"]["resourceVersion"]:
                return await self.conflict(request)
            new = copy.deepcopy(request.data)
            metadata = new["metadata"]
            for field in ("uid", "creationTimestamp", "deletionTimestamp"):
                if field in stored["metadata"]:
                    metadata[field] = stored["metadata"][field]
            generation = stored["metadata"].get("generation", 1)
            metadata["generation"] = generation + (1 if new.get("spec") != stored.get("spec") else 0)
            metadata["resourceVersion"] = str(next(self.counter))
            if request.resource.plural in WITH_STATUS:
                new.pop("status", None)
                if "status" in stored:
                    new["status"] = stored["status"]
            key = self.key(request)
            del self.objects[key]
            self.objects[key] = new
            gone = metadata.get("deletionTimestamp") and not metadata.get("finalizers")
            if gone:
                self.objects[key].delete()
            await self._buses[request.resource].put({"type": "DELETED" if gone else "MODIFIED", "object": new})
        return aiohttp.web.json_response(new)


async def main():
    emulator = StrictEmulator()
    for resource in RESOURCES:
        emulator.resources[resource] = {}
    async with emulator, kmock.Server(emulator) as server:
        print(server.port, flush=True)
        # Until the test closes our stdin (or dies).
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(main())
