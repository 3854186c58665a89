// The model registry (newest first) with promote / retire and training, and the risk policies.
import { useRef, useState } from "react";
import { modelLabel } from "./format";
import { ModelRow } from "./ModelRow";
import { PoliciesSection } from "./PoliciesSection";
import { Empty, LoadError, Loading, Notice } from "./States";
import { TrainForm } from "./TrainForm";
import type { Basics } from "./useMaintenanceBasics";

interface Props {
  basics: Basics;
  canWriteModels: boolean;
  canWritePolicies: boolean;
}

const COLUMNS = ["Model", "Machine class", "Status", "Error (CV)", "Trained by", "Training data", "Created"];

export function ModelsTab({ basics, canWriteModels, canWritePolicies }: Props) {
  const [training, setTraining] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const trainButton = useRef<HTMLButtonElement>(null);
  const models = basics.models;
  const noActive = !!models?.length && !models.some((m) => m.status === "active");

  return (
    <div className="mnt-tab-body">
      <div className="pg-toolbar">
        <h2>Models</h2>
        {canWriteModels && (
          <button ref={trainButton} type="button" className="btn btn-primary" onClick={() => setTraining(true)} disabled={training}>
            Train a model
          </button>
        )}
      </div>
      <p className="muted small">
        Remaining-useful-life models per machine class. The active one scores the class's machines; a new version is a candidate until
        promoted (promoting retires the previous active one). Errors are cross-validated over whole machine lives, in hours of remaining
        life. Times in plant time ({basics.tenantTz}).
        {!canWriteModels && " Training, promoting and retiring need an administrator or engineer."}
      </p>
      {notice && <Notice>{notice}</Notice>}
      {training && (
        <div className="panel pg-card" role="region" aria-labelledby="mnt-train-title">
          <h3 id="mnt-train-title">Train a model</h3>
          <TrainForm
            classes={basics.classes}
            onCancel={() => {
              setTraining(false);
              requestAnimationFrame(() => trainButton.current?.focus());
            }}
            onTrained={(m) => {
              basics.upsertModel(m);
              setTraining(false);
              setNotice(`${modelLabel(m)} trained for class ${m.machine_class}: a ${m.status} model.${m.status === "candidate" ? " Promote it to start scoring." : ""}`);
            }}
          />
        </div>
      )}
      {basics.modelsError && <LoadError what="models" error={basics.modelsError} onRetry={basics.reloadModels} />}
      {models === null && !basics.modelsError && <Loading what="models" />}
      {models?.length === 0 && (
        <Empty title="No models yet">
          <p className="muted">
            {canWriteModels
              ? "Train one for a machine class: it learns from the class's rollups and the work orders that record when a machine failed."
              : "An administrator or engineer can train one for a machine class."}
          </p>
        </Empty>
      )}
      {noActive && <p className="notice notice-warn">No model is active yet: promote a candidate to start scoring machines.</p>}
      {!!models?.length && (
        <div className="table-wrap">
          <table className="table mnt-table mnt-model-table">
            <caption className="sr-only">Model versions, newest first</caption>
            <thead>
              <tr>
                {[...COLUMNS, ...(canWriteModels ? ["Actions"] : [])].map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <ModelRow
                  key={m.id}
                  model={m}
                  basics={basics}
                  canWrite={canWriteModels}
                  onChanged={(next, verb) => {
                    basics.upsertModel(next);
                    setNotice(`${modelLabel(next)} ${verb}.`);
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PoliciesSection basics={basics} canWrite={canWritePolicies} />
    </div>
  );
}
