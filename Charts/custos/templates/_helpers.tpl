{{/*
Names. The full name is cut to 40 characters so that every derived name (<fullname>-installation, the
CloudNativePG cluster's <fullname>-postgres-app Secret) stays within 63.
*/}}
{{- define "custos.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" }}
{{- end }}

{{- define "custos.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "custos.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The name of a component's Deployment, Service, PDB and NetworkPolicy: <fullname>-<component>. */}}
{{- define "custos.componentName" -}}
{{- printf "%s-%s" (include "custos.fullname" .root) .component }}
{{- end }}

{{- define "custos.selectorLabels" -}}
app.kubernetes.io/name: {{ include "custos.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Labels of every object; pass (dict "root" $ "component" "...") or (dict "root" $) for shared objects. */}}
{{- define "custos.labels" -}}
helm.sh/chart: {{ include "custos.chart" .root }}
app.kubernetes.io/name: {{ include "custos.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
app.kubernetes.io/part-of: custos
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{- define "custos.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "custos.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "custos.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The base URL of a component's Service inside the cluster: (dict "root" $ "component" "ledger"). */}}
{{- define "custos.serviceURL" -}}
{{- $ports := dict "control" .root.Values.control.port "gateway" .root.Values.gateway.port "ledger" .root.Values.ledgerWorker.port "streams" .root.Values.streamsWorker.port "ssi" .root.Values.ssiWorker.port }}
{{- printf "http://%s.%s.svc:%v" (include "custos.componentName" .) .root.Release.Namespace (index $ports .component) }}
{{- end }}

{{/* Host names and the URLs the control plane hands out. */}}
{{- define "custos.sharedHost" -}}
{{- default .Values.gateway.domain .Values.gateway.sharedHost }}
{{- end }}

{{- define "custos.publicPortSuffix" -}}
{{- if .Values.gateway.publicPort }}{{ printf ":%v" .Values.gateway.publicPort }}{{ end }}
{{- end }}

{{- define "custos.pooledGatewayURL" -}}
{{- if .Values.gateway.pooledGatewayURL }}
{{- .Values.gateway.pooledGatewayURL }}
{{- else }}
{{- printf "%s://{tenant}.%s%s" .Values.gateway.publicScheme .Values.gateway.domain (include "custos.publicPortSuffix" .) }}
{{- end }}
{{- end }}

{{/* A dedicated tenant's URL: the operator's Ingress rule for <tenant>.<domain>. */}}
{{- define "custos.dedicatedGatewayURL" -}}
{{- printf "%s://{tenant}.%s%s" .Values.gateway.publicScheme .Values.gateway.domain (include "custos.publicPortSuffix" .) }}
{{- end }}

{{/* The prefix of the names of a dedicated gateway's objects (custos-operator's namePrefix): <prefix><tenant>. */}}
{{- define "custos.dedicatedGatewayPrefix" -}}
{{- printf "%s-gw-" (include "custos.fullname" . | trunc 27 | trimSuffix "-") }}
{{- end }}

{{- define "custos.sharedGatewayURL" -}}
{{- if .Values.gateway.sharedGatewayURL }}
{{- .Values.gateway.sharedGatewayURL }}
{{- else }}
{{- printf "%s://%s%s" .Values.gateway.publicScheme (include "custos.sharedHost" .) (include "custos.publicPortSuffix" .) }}
{{- end }}
{{- end }}

{{/* Fails when a host is the gateway domain's tenant name space: <something>.<domain>. */}}
{{- define "custos.checkNotBelowDomain" -}}
{{- if hasSuffix (printf ".%s" .root.Values.gateway.domain) .host }}
{{- fail (printf "%s (%s) is below gateway.domain %s: the pooled gateway would take it for the tenant %s" .what .host .root.Values.gateway.domain (trimSuffix (printf ".%s" .root.Values.gateway.domain) .host)) }}
{{- end }}
{{- end }}

{{/* Secrets. */}}
{{- define "custos.generatedSecretName" -}}
{{- printf "%s-secrets" (include "custos.fullname" .) }}
{{- end }}

{{- define "custos.databaseSecretName" -}}
{{- printf "%s-database" (include "custos.fullname" .) }}
{{- end }}

{{- define "custos.cnpgClusterName" -}}
{{- printf "%s-postgres" (include "custos.fullname" .) }}
{{- end }}

{{- define "custos.installationConfigMapName" -}}
{{- printf "%s-installation" (include "custos.fullname" .) }}
{{- end }}

{{- define "custos.plansConfigMapName" -}}
{{- printf "%s-plans" (include "custos.fullname" .) }}
{{- end }}

{{/* The Secret and key holding CUSTOS_DATABASE_URL: CloudNativePG's application Secret, yours, or the chart's. */}}
{{- define "custos.databaseSecretRef" -}}
{{- if .Values.cnpg.enabled }}
{{- if .Values.database.existingSecret }}
{{- fail "give either cnpg.enabled or database.existingSecret, not both" }}
{{- end -}}
name: {{ printf "%s-app" (include "custos.cnpgClusterName" .) }}
key: uri
{{- else if .Values.database.existingSecret }}
name: {{ .Values.database.existingSecret }}
key: {{ .Values.database.existingSecretKey }}
{{- else }}
{{- if not .Values.database.url }}
{{- fail "PostgreSQL is needed: set database.url, database.existingSecret or cnpg.enabled" }}
{{- end -}}
name: {{ include "custos.databaseSecretName" . }}
key: CUSTOS_DATABASE_URL
{{- end }}
{{- end }}

{{/*
The environment of a role, exactly as ChildSecrets gives it under `custos up`: every role gets the database URL
and the service token, only the ledger, streams and ssi workers get the master key. Secrets come from Secrets,
never from the command line. Pass (dict "root" $ "component" "...").
*/}}
{{- define "custos.env" -}}
{{- $root := .root }}
{{- $secret := default (include "custos.generatedSecretName" $root) $root.Values.secrets.existingSecret }}
{{- $masterKeyKey := ternary $root.Values.secrets.masterKeyKey "CUSTOS_MASTER_KEY" (ne $root.Values.secrets.existingSecret "") }}
{{- $tokenKey := ternary $root.Values.secrets.serviceTokenKey "CUSTOS_SERVICE_TOKEN" (ne $root.Values.secrets.existingSecret "") -}}
- name: CUSTOS_LOG_LEVEL
  value: {{ $root.Values.logLevel | quote }}
- name: CUSTOS_DATABASE_URL
  valueFrom:
    secretKeyRef:
      {{- include "custos.databaseSecretRef" $root | nindent 6 }}
- name: CUSTOS_SERVICE_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $tokenKey }}
{{- if has .component (list "ledger" "streams" "ssi") }}
- name: CUSTOS_MASTER_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $masterKeyKey }}
{{- end }}
{{- if and (eq .component "control") $root.Values.adminToken.existingSecret }}
- name: CUSTOS_ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.adminToken.existingSecret }}
      key: {{ $root.Values.adminToken.existingSecretKey }}
{{- end }}
{{- if and (eq .component "control") $root.Values.auditSigningKey.existingSecret }}
- name: CUSTOS_AUDIT_SIGNING_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.auditSigningKey.existingSecret }}
      key: {{ $root.Values.auditSigningKey.existingSecretKey }}
{{- if $root.Values.auditSigningKey.previousSecretKey }}
- name: CUSTOS_AUDIT_SIGNING_KEY_PREVIOUS
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.auditSigningKey.existingSecret }}
      key: {{ $root.Values.auditSigningKey.previousSecretKey }}
{{- end }}
{{- end }}
{{- if eq .component "ledger" }}
# --advertise-url: where the other ledger-worker replicas forward the tenants this one sequences.
- name: POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
- name: CUSTOS_ORIGIN_PREFIX
  valueFrom:
    configMapKeyRef:
      name: {{ include "custos.installationConfigMapName" $root }}
      key: originPrefix
{{- end }}
{{- end }}

{{/* The limit options every serving process takes, as `custos up` passes them (ConnectionLimits), as a list. */}}
{{- define "custos.limitArgs" -}}
{{- $l := .Values.limits }}
{{- list "--header-timeout" (toString (int64 $l.headerTimeout)) "--body-timeout" (toString (int64 $l.bodyTimeout)) "--idle-timeout" (toString (int64 $l.idleTimeout)) "--max-connections" (toString (int64 $l.maxConnections)) | toJson }}
{{- end }}

{{- define "custos.plansArgs" -}}
{{- if .Values.plans }}
{{- list "--plans" "/etc/custos/plans/plans.yaml" | toJson }}
{{- else }}
{{- list | toJson }}
{{- end }}
{{- end }}

{{/*
One component's Deployment. Pass (dict "root" $ "component" "ledger" "values" $.Values.ledgerWorker
"args" (list of the arguments after `custos`) "strategy" "Recreate" "plans" true).
*/}}
{{- define "custos.deployment" -}}
{{- $root := .root }}
{{- $values := .values }}
{{- $scope := dict "root" $root "component" .component }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "custos.componentName" $scope }}
  labels:
    {{- include "custos.labels" $scope | nindent 4 }}
spec:
  replicas: {{ $values.replicas }}
  revisionHistoryLimit: 5
  strategy:
    {{- if eq .strategy "Recreate" }}
    type: Recreate
    {{- else }}
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
    {{- end }}
  selector:
    matchLabels:
      {{- include "custos.selectorLabels" $scope | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "custos.selectorLabels" $scope | nindent 8 }}
        {{- with $root.Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        {{- if .plans }}
        checksum/plans: {{ toYaml $root.Values.plans | sha256sum }}
        {{- end }}
        {{- if and (eq .component "ledger") $root.Values.ledgerWorker.originPrefix }}
        checksum/origin-prefix: {{ $root.Values.ledgerWorker.originPrefix | sha256sum }}
        {{- end }}
        {{- with $root.Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "custos.serviceAccountName" $root }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $root.Values.terminationGracePeriodSeconds }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .component }}
          image: {{ include "custos.image" $root | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          command: ["custos"]
          args:
            {{- toYaml .args | nindent 12 }}
          env:
            {{- include "custos.env" $scope | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ $values.port }}
              protocol: TCP
          startupProbe:
            httpGet: { path: /health/live, port: http }
            {{- toYaml $root.Values.probes.startup | nindent 12 }}
          livenessProbe:
            httpGet: { path: /health/live, port: http }
            {{- toYaml $root.Values.probes.liveness | nindent 12 }}
          readinessProbe:
            httpGet: { path: /health/ready, port: http }
            {{- toYaml $root.Values.probes.readiness | nindent 12 }}
          resources:
            {{- toYaml $values.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if .plans }}
            - name: plans
              mountPath: /etc/custos/plans
              readOnly: true
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $root.Values.tmpSizeLimit }}
        {{- if .plans }}
        - name: plans
          configMap:
            name: {{ include "custos.plansConfigMapName" $root }}
        {{- end }}
      {{- with $values.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}
