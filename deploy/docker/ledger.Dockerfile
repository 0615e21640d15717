# syntax=docker/dockerfile:1
# Tollgate ledger image. Build from the repository root (the build needs the root pom and every module's pom):
#   docker build -f deploy/docker/ledger.Dockerfile -t tollgate/ledger .
# Stage 1 builds only this service (and the modules it uses); stage 2 runs Spring Boot's extracted layered jar
# on a JRE as a non-root user, so a code change re-ships only the small application layer.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl ledger-service -am package -DskipTests
RUN java -Djarmode=tools -jar ledger-service/target/ledger-service.jar extract --layers --launcher --destination /layers

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
ENV TOLLGATE_LEDGER_PORT=8082
USER 10001:10001
EXPOSE 8082
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 CMD ["healthcheck", "8082", "/actuator/health/readiness"]
# Heap sized from the container's memory limit; an OutOfMemoryError ends the JVM so the orchestrator restarts it.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "org.springframework.boot.loader.launch.JarLauncher"]
