# syntax=docker/dockerfile:1
# Tollgate admin image. Build from the repository root (the build needs the root pom and every module's pom):
#   docker build -f deploy/docker/admin.Dockerfile -t tollgate/admin .
# Stage 1 builds the web UI with Node (the Maven image has none); stage 2 builds only this service (and the
# modules it uses) with that UI as its static resources; stage 3 runs Spring Boot's extracted layered jar on a JRE
# as a non-root user, so a code change re-ships only the small application layer.

FROM node:22-bookworm-slim AS webui
WORKDIR /webui
COPY admin-service/src/main/webui/package.json admin-service/src/main/webui/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund --loglevel=error
COPY admin-service/src/main/webui/ ./
RUN npm run build -- --outDir /webui-dist

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
COPY --from=webui /webui-dist/ admin-service/src/main/resources/static/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl admin-service -am package -DskipTests -Dwebui.skip=true
RUN java -Djarmode=tools -jar admin-service/target/admin-service.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 tollgate \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin tollgate
WORKDIR /app
# Least to most often changed: third-party jars, the launcher, our snapshot jars, the application itself.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY --chmod=755 deploy/docker/healthcheck.sh /usr/local/bin/healthcheck
ENV TOLLGATE_ADMIN_PORT=8081
USER 10001:10001
EXPOSE 8081
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 CMD ["healthcheck", "8081", "/actuator/health/readiness"]
# Heap sized from the container's memory limit; an OutOfMemoryError ends the JVM so the orchestrator restarts it.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "org.springframework.boot.loader.launch.JarLauncher"]
