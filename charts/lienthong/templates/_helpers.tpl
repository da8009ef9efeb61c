{{/* Names, labels and the merged settings of one component. */}}

{{/* Labels of every object; objects of a component add lienthong.selectorLabels. */}}
{{- define "lienthong.labels" -}}
app.kubernetes.io/name: lienthong
app.kubernetes.io/part-of: lienthong
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* DNS-1123 name of a component's objects: <release>-<name with dashes>. */}}
{{- define "lienthong.componentName" -}}
{{- printf "%s-%s" .root.Release.Name (.name | replace "_" "-") | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of a release-wide object. */}}
{{- define "lienthong.releaseLabels" -}}
{{ include "lienthong.labels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "lienthong.selectorLabels" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name | replace "_" "-" }}
{{- end -}}

{{/* The component's values over the shared defaults (component wins). Returns YAML. */}}
{{- define "lienthong.merged" -}}
{{- $merged := mergeOverwrite (deepCopy .root.Values.default) (deepCopy .component) -}}
{{- toYaml $merged -}}
{{- end -}}

{{- define "lienthong.configName" -}}
{{- printf "%s-config" .Release.Name -}}
{{- end -}}

{{- define "lienthong.secretName" -}}
{{- if .Values.secrets.create -}}
{{- printf "%s-secrets" .Release.Name -}}
{{- else -}}
{{- required "secrets.existingSecret is required when secrets.create is false" .Values.secrets.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "lienthong.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The tools image (Dockerfile target `tools`): the `lienthong` command for the prepare job. */}}
{{- define "lienthong.toolsImage" -}}
{{- printf "%s:%s" .Values.image.toolsRepository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* DATABASE_URL of a component: its own database; the password comes from PGPASSWORD. */}}
{{- define "lienthong.databaseUrl" -}}
{{- $db := .root.Values.database -}}
{{- $url := printf "postgresql://%s@%s:%v/%s" $db.user $db.host $db.port .database -}}
{{- if $db.sslmode }}{{ $url = printf "%s?sslmode=%s" $url $db.sslmode }}{{ end -}}
{{- $url -}}
{{- end -}}

{{- define "lienthong.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "lienthong.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Environment of hook Jobs: settings inline, secrets from the Secret (also a hook). */}}
{{- define "lienthong.jobEnv" -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
- name: KAFKA_SECURITY_PROTOCOL
  value: {{ .Values.kafka.securityProtocol | quote }}
{{- with .Values.kafka.saslMechanism }}
- name: KAFKA_SASL_MECHANISM
  value: {{ . | quote }}
{{- end }}
{{- with .Values.kafka.saslUsername }}
- name: KAFKA_SASL_USERNAME
  value: {{ . | quote }}
{{- end }}
{{- if .Values.kafka.saslMechanism }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "lienthong.secretName" . }}
      key: KAFKA_SASL_PASSWORD
{{- end }}
{{- if or .Values.secrets.databasePassword (not .Values.secrets.create) }}
- name: PGPASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "lienthong.secretName" . }}
      key: PGPASSWORD
      optional: true
{{- end }}
{{- end -}}

{{- define "lienthong.jobResources" -}}
requests:
  cpu: 50m
  memory: 128Mi
limits:
  cpu: 500m
  memory: 256Mi
{{- end -}}

{{/* Egress every lienthong pod needs: DNS, the brokers, the database server, the collector. */}}
{{- define "lienthong.platformEgress" -}}
- to:
    - namespaceSelector: {}
      podSelector:
        matchLabels:
          k8s-app: kube-dns
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
- to:
    - namespaceSelector:
        matchLabels:
          {{- toYaml .Values.kafka.namespaceSelector | nindent 10 }}
      {{- with .Values.kafka.podSelector }}
      podSelector:
        matchLabels:
          {{- toYaml . | nindent 10 }}
      {{- end }}
  ports:
    - port: {{ .Values.kafka.port }}
      protocol: TCP
- to:
    - namespaceSelector:
        matchLabels:
          {{- toYaml .Values.database.namespaceSelector | nindent 10 }}
      {{- with .Values.database.podSelector }}
      podSelector:
        matchLabels:
          {{- toYaml . | nindent 10 }}
      {{- end }}
  ports:
    - port: {{ .Values.database.port }}
      protocol: TCP
{{- if eq .Values.observability.tracesExporter "otlp" }}
- to:
    - namespaceSelector:
        matchLabels:
          {{- toYaml .Values.observability.collectorNamespaceSelector | nindent 10 }}
  ports:
    - port: {{ .Values.observability.collectorPort }}
      protocol: TCP
{{- end }}
{{- end -}}
